import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LOCALES, type Locale, UserDto } from '../../modules/org/dto/user.dto.js';
import { TenantDto } from '../../modules/tenants/tenants.dto.js';

export class LoginDto {
  @ApiProperty() @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)) @IsString() @MinLength(1) @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password: string;
  @ApiPropertyOptional({ description: 'Tenant slug, needed only when the same email and password open several tenants' })
  @IsOptional() @IsString() @MaxLength(80) tenant?: string;
}

export class MeDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
  @ApiProperty({ type: TenantDto }) tenant: TenantDto;
  @ApiProperty({ enum: ['session', 'api-key'] }) via: 'session' | 'api-key';
}

export class UpdateMeDto {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
  @ApiPropertyOptional({ description: 'Required to set a new password' }) @IsOptional() @IsString() @MaxLength(200) currentPassword?: string;
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
}

export class AcceptInviteDto {
  @ApiProperty() @IsString() @MinLength(10) @MaxLength(200) token: string;
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(200) password: string;
}

export class PublicSettingsDto {
  @ApiProperty({ enum: ['open', 'closed'] }) signup: 'open' | 'closed';
  @ApiProperty() version: string;
}
