import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';

const OBJECT = { type: 'object', additionalProperties: true } as const;
export const INSTANCE_STATUSES = ['active', 'completed', 'canceled', 'incident'] as const;

export class InstanceQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() processId?: string;
  @ApiPropertyOptional({ enum: INSTANCE_STATUSES }) @IsOptional() @IsIn(INSTANCE_STATUSES) status?: (typeof INSTANCE_STATUSES)[number];
  @ApiPropertyOptional({ enum: ['all', 'mine'], description: 'mine: instances I started' }) @IsOptional() @IsIn(['all', 'mine']) scope?: 'all' | 'mine';
}

export class InstanceDto {
  @ApiProperty() id: string;
  @ApiProperty() processId: string;
  @ApiProperty() processName: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: INSTANCE_STATUSES }) status: string;
  @ApiProperty(OBJECT) variables: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) businessKey: string | null;
  @ApiProperty({ nullable: true, type: String }) startedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) recordId: string | null;
  @ApiProperty({ nullable: true, type: String }) parentInstanceId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) endedAt: Date | null;
}

export class InstancePageDto extends PageDto(InstanceDto) {}

export class ActiveElementDto {
  @ApiProperty() elementInstanceId: string;
  @ApiProperty() elementId: string;
  @ApiProperty({ enum: ['waiting', 'failed'] }) state: string;
  @ApiProperty() startedAt: Date;
}

export class IncidentDto {
  @ApiProperty() id: string;
  @ApiProperty() instanceId: string;
  @ApiProperty() elementId: string;
  @ApiProperty({ example: 'job_failed' }) kind: string;
  @ApiProperty() message: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt: Date | null;
}

export class IncidentPageDto extends PageDto(IncidentDto) {}

export class IncidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] }) @IsOptional() @IsIn(['open', 'resolved']) status?: 'open' | 'resolved';
  @ApiPropertyOptional() @IsOptional() @IsUUID() instanceId?: string;
}

export class InstanceDetailDto extends InstanceDto {
  @ApiProperty() bpmnProcessId: string;
  @ApiProperty({ type: [ActiveElementDto] }) activeElements: ActiveElementDto[];
  @ApiProperty({ type: [IncidentDto] }) incidents: IncidentDto[];
}

export class HistoryEntryDto {
  @ApiProperty() elementId: string;
  @ApiProperty() elementType: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: ['completed', 'terminated', 'transferred', 'signer_added', 'urged', 'withdrawn'] }) status: string;
  @ApiProperty() startedAt: Date;
  @ApiProperty() endedAt: Date;
  @ApiProperty({ nullable: true, type: String }) actor: string | null;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({ nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The person a task went to (transferred, signer_added)' }) target: string | null;
  @ApiProperty({ nullable: true, type: String }) targetName: string | null;
}

export class CancelInstanceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class CorrelateMessageDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, value) => value !== null) @IsString() @MaxLength(200) correlationKey?: string | null;
  @ApiPropertyOptional(OBJECT) @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class CorrelationResultDto {
  @ApiProperty() instanceId: string;
  @ApiProperty({ description: 'A message start event started a new instance' }) started: boolean;
}

export class SetVariablesDto {
  @ApiProperty({ ...OBJECT, description: 'Variables to set on the instance (JSON values)' }) @IsObject() variables: Record<string, unknown>;
}
