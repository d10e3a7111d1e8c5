import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** A BPMN file is text; 2 MB holds the largest models seen in practice many times over. */
const MAX_XML = 2 * 1024 * 1024;

export class ProcessQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() appId?: string;
}

export class CreateProcessDto {
  @ApiProperty() @IsUUID() appId: string;
  @ApiProperty() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: 'BPMN 2.0 XML; an empty diagram when omitted' }) @IsOptional() @IsString() @MaxLength(MAX_XML) bpmnXml?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID() startFormId?: string | null;
}

export class UpdateProcessDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(MAX_XML) bpmnXml?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Submitting a record of this form starts an instance' })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsUUID() startFormId?: string | null;
}

export class ProcessSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() appId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) bpmnProcessId: string | null;
  @ApiProperty({ nullable: true, type: Number }) latestVersion: number | null;
  @ApiProperty({ nullable: true, type: String }) startFormId: string | null;
  @ApiProperty() updatedAt: Date;
}

export class ProcessSummaryPageDto extends PageDto(ProcessSummaryDto) {}

export class ProcessDto extends ProcessSummaryDto {
  @ApiProperty() bpmnXml: string;
  @ApiProperty({ description: 'The draft differs from the latest deployed version' }) hasUndeployedChanges: boolean;
  @ApiProperty() createdAt: Date;
}

export class ProcessVersionSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() bpmnProcessId: string;
  @ApiProperty({ nullable: true, type: String }) deployedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) deployedByName: string | null;
  @ApiProperty() deployedAt: Date;
}

export class ProcessVersionDto extends ProcessVersionSummaryDto {
  @ApiProperty() processId: string;
  @ApiProperty() bpmnXml: string;
}

export class StartInstanceDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Initial process variables (JSON values)' })
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(200) businessKey?: string | null;
  @ApiPropertyOptional({ description: 'A deployed version number; the latest when omitted' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}
