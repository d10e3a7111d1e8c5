import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { UserDto } from '../org/dto/user.dto.js';

export class TenantDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
}

export class CreateTenantDto {
  @ApiProperty() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty() @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)) @IsEmail() @MaxLength(254) ownerEmail: string;
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(200) ownerPassword: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) ownerName?: string;
}

export class CreatedTenantDto {
  @ApiProperty({ type: TenantDto }) tenant: TenantDto;
  @ApiProperty({ type: UserDto }) owner: UserDto;
}
