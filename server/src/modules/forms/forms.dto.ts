import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';
import type { FormSettings, JsonSchema, UiSchema } from './form-definition.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const OBJECT = { type: 'object', additionalProperties: true } as const;

export class FormSettingsAccessDto {
  @ApiProperty({ oneOf: [{ type: 'string', enum: ['public', 'members'] }, { type: 'array', items: { type: 'string', enum: ['owner', 'admin', 'designer', 'member'] } }] })
  submit: FormSettings['access']['submit'];
  @ApiProperty({ type: [String], enum: ['owner', 'admin', 'designer', 'member'] }) viewAll: FormSettings['access']['viewAll'];
}

export class FormSettingsDto {
  @ApiProperty({ type: FormSettingsAccessDto }) access: FormSettingsAccessDto;
  @ApiProperty() anonymous: boolean;
  @ApiProperty({ type: [String] }) hiddenFields: string[];
}

export class FormSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() appId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: Number }) publishedVersion: number | null;
  @ApiProperty({ nullable: true, type: String }) publicToken: string | null;
  @ApiProperty() canSubmit: boolean;
  @ApiProperty() canViewRecords: boolean;
  @ApiProperty() updatedAt: Date;
}

export class FormSummaryPageDto extends PageDto(FormSummaryDto) {}

export class FormDto extends FormSummaryDto {
  @ApiProperty({ ...OBJECT, description: 'The draft JSON Schema (draft-07)' }) schema: JsonSchema;
  @ApiProperty({ ...OBJECT, description: 'The draft JSON Forms UI schema' }) uischema: UiSchema;
  @ApiProperty({ type: FormSettingsDto }) settings: FormSettings;
  @ApiProperty({ description: 'The draft differs from the latest published version' }) hasUnpublishedChanges: boolean;
  @ApiProperty() createdAt: Date;
}

export class FormVersionDto {
  @ApiProperty() formId: string;
  @ApiProperty() name: string;
  @ApiProperty() version: number;
  @ApiProperty(OBJECT) schema: JsonSchema;
  @ApiProperty(OBJECT) uischema: UiSchema;
  @ApiProperty({ type: FormSettingsDto }) settings: FormSettings;
  @ApiProperty() publishedAt: Date;
  @ApiProperty({ nullable: true, type: String }) publishedBy: string | null;
}

export class FormVersionSummaryDto {
  @ApiProperty() version: number;
  @ApiProperty() publishedAt: Date;
  @ApiProperty({ nullable: true, type: String }) publishedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) publishedByName: string | null;
}

export class FormVersionListDto {
  @ApiProperty({ type: [FormVersionSummaryDto] }) items: FormVersionSummaryDto[];
  @ApiProperty() total: number;
}

export class FormFieldDto {
  @ApiProperty() path: string;
  @ApiProperty({ enum: ['string', 'number', 'integer', 'boolean', 'array', 'object'] }) type: string;
  @ApiPropertyOptional() format?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ enum: ['string', 'number', 'integer', 'boolean', 'array', 'object'] }) itemType?: string;
}

export class FormFieldListDto {
  @ApiProperty({ type: [FormFieldDto] }) items: FormFieldDto[];
}

export class FormQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() appId?: string;
}

/** Schema, UI schema and settings arrive as free JSON and are checked by validateFormDefinition. */
export class CreateFormDto {
  @ApiProperty() @IsUUID() appId: string;
  @ApiProperty() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional(OBJECT) @IsOptional() @IsObject() schema?: JsonSchema;
  @ApiPropertyOptional(OBJECT) @IsOptional() @IsObject() uischema?: UiSchema;
  @ApiPropertyOptional({ type: FormSettingsDto }) @IsOptional() @IsObject() settings?: FormSettings;
}

export class UpdateFormDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional(OBJECT) @IsOptional() @IsObject() schema?: JsonSchema;
  @ApiPropertyOptional(OBJECT) @IsOptional() @IsObject() uischema?: UiSchema;
  @ApiPropertyOptional({ type: FormSettingsDto }) @IsOptional() @IsObject() settings?: FormSettings;
}
