import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageDto } from '../../core/http/paging.js';
import { API_KEY_SCOPES, ApiKey, type ApiKeyScope } from './api-key.entity.js';

export class ApiKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The first characters of the key' }) prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: ApiKeyScope[];
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;

  static from(key: ApiKey): ApiKeyDto {
    return {
      id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, createdBy: key.createdBy, createdAt: key.createdAt,
      expiresAt: key.expiresAt, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt,
    };
  }
}

export class ApiKeyPageDto extends PageDto(ApiKeyDto) {}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret key. It is shown this once and stored only as a hash.' }) key: string;
}

export class CreateApiKeyDto {
  @ApiProperty() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, description: 'read: GET only; write: change data; admin: manage users and keys' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsIn(API_KEY_SCOPES, { each: true }) scopes: ApiKeyScope[];
  @ApiPropertyOptional({ type: Date }) @IsOptional() @Type(() => Date) @IsDate() expiresAt?: Date;
}

