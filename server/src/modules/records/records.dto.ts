import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';
import type { RecordData } from './record.entity.js';

const DATA = { type: 'object', additionalProperties: true } as const;

export class RecordDto {
  @ApiProperty() id: string;
  @ApiProperty() formId: string;
  @ApiProperty() formVersion: number;
  @ApiProperty(DATA) data: RecordData;
  @ApiProperty({ nullable: true, type: String, description: 'null for anonymous and public submissions' }) submittedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedByName: string | null;
  @ApiProperty({ nullable: true, type: String }) processInstanceId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class RecordPageDto extends PageDto(RecordDto) {}

export class MyRecordDto extends RecordDto {
  @ApiProperty() formName: string;
  @ApiProperty() appId: string;
}

export class MyRecordPageDto extends PageDto(MyRecordDto) {}

export class SubmitRecordDto {
  @ApiProperty({ ...DATA, description: 'The answers, validated against the latest published version of the form' }) @IsObject() data: RecordData;
}

export class RecordQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'JSON: {"and":[{"field":"budget","op":"gt","value":10000}]}; ops eq ne gt gte lt lte in contains isEmpty between; also "or", "not"' })
  @IsOptional() @IsString() @MaxLength(20_000) filter?: string;

  @ApiPropertyOptional({ example: '-createdAt,budget' }) @IsOptional() @IsString() @MaxLength(500) sort?: string;

  @ApiPropertyOptional({ description: 'Full-text search over the answers' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' }) @IsOptional() @IsIn(['csv', 'xlsx']) format: 'csv' | 'xlsx' = 'csv';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) filter?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) sort?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) q?: string;
}

export class ImportRecordsDto {
  @ApiProperty({ description: 'CSV whose header names the form fields (paths as in GET /api/forms/:id/fields); arrays separated by ";"' })
  @IsString() @MinLength(1) @MaxLength(5_000_000) csv: string;
}

export class ImportRecordsResultDto {
  @ApiProperty() created: number;
}

export class PublicFormDto {
  @ApiProperty() formId: string;
  @ApiProperty() name: string;
  @ApiProperty() version: number;
  @ApiProperty(DATA) schema: Record<string, unknown>;
  @ApiProperty(DATA) uischema: Record<string, unknown>;
  @ApiProperty({ description: 'Submissions store no name, email, IP address or device information' }) anonymous: boolean;
}

export class PublicSubmissionDto {
  @ApiProperty() id: string;
  @ApiProperty() createdAt: Date;
}
