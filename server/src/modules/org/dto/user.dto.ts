import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength,
} from 'class-validator';
import { PageDto, PageQueryDto } from '../../../core/http/paging.js';
import { ROLES, type Role } from '../../../core/tenancy/request-context.js';
import type { User } from '../user.entity.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ nullable: true, type: String }) departmentId: string | null;
  @ApiProperty({ nullable: true, type: String }) managerId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() platformAdmin: boolean;
  @ApiProperty({ enum: LOCALES }) locale: string;
  @ApiProperty({ description: 'False until an invited user has chosen a password' }) hasPassword: boolean;
  @ApiProperty({ nullable: true, type: Date }) lastLoginAt: Date | null;
  @ApiProperty() createdAt: Date;

  static from(user: User): UserDto {
    return {
      id: user.id, email: user.email, name: user.name, roles: user.roles, departmentId: user.departmentId,
      managerId: user.managerId, active: user.active, platformAdmin: user.platformAdmin, locale: user.locale,
      hasPassword: user.passwordHash !== null, lastLoginAt: user.lastLoginAt, createdAt: user.createdAt,
    };
  }
}

export class UserPageDto extends PageDto(UserDto) {}

export class CreatedUserDto extends UserDto {
  @ApiPropertyOptional({ description: 'Shown once when no password was given: the link the invited person opens to choose one' })
  inviteUrl?: string;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches name or email' })
  @IsOptional() @IsString() @MaxLength(200) q?: string;

  @ApiPropertyOptional()
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptional() @IsUUID() departmentId?: string;
}

export class CreateUserDto {
  @ApiProperty() @Transform(lower) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: 'Initial password; without one the user gets an invite link', minLength: 8 })
  @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(4) @IsIn(ROLES, { each: true }) roles: Role[];
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() departmentId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() managerId?: string | null;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(4) @IsIn(ROLES, { each: true }) roles?: Role[];
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() departmentId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() managerId?: string | null;
  @ApiPropertyOptional({ description: 'false deactivates the user and ends their sessions' }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
}

export class ImportUsersDto {
  @ApiProperty({ description: 'CSV with the header email,name,roles,department,manager,password (roles separated by |, department as a path A/B, manager as an email)' })
  @IsString() @MinLength(1) @MaxLength(2_000_000) csv: string;
}

export class ImportResultDto {
  @ApiProperty() created: number;
  @ApiProperty({ type: [CreatedUserDto] }) users: CreatedUserDto[];
}
