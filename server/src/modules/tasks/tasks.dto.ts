import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';

export const TASK_SCOPES = ['mine', 'candidate', 'involved', 'cc'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

export class TaskQueryDto extends PageQueryDto {
  /** mine: assigned to me; candidate: unassigned tasks I may claim; involved: I completed one or started the request; cc: copied to me (抄送). */
  @ApiPropertyOptional({ enum: TASK_SCOPES, default: 'mine' }) @IsOptional() @IsIn(TASK_SCOPES) scope?: TaskScope;
  /** open, done, or all (open, done and cancelled: what a CC'd reader or an audit looks through) */
  @ApiPropertyOptional({ enum: ['open', 'done', 'all'], default: 'open' }) @IsOptional() @IsIn(['open', 'done', 'all']) status?: 'open' | 'done' | 'all';
  @ApiPropertyOptional() @IsOptional() @IsUUID() processId?: string;
  @ApiPropertyOptional({ description: 'Only the tasks of this request (process instance)' }) @IsOptional() @IsUUID() instanceId?: string;
  @ApiPropertyOptional({ description: 'Words in the task name' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ description: 'Only tasks past their due date' }) @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional({ enum: ['created', 'due'], default: 'created', description: 'created: newest first; due: soonest due first' })
  @IsOptional() @IsIn(['created', 'due']) sort?: 'created' | 'due';
}

export class TaskDto {
  @ApiProperty() id: string;
  @ApiProperty() instanceId: string;
  @ApiProperty() processId: string;
  @ApiProperty() elementId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) assignee: string | null;
  @ApiProperty({ type: [String] }) candidateUsers: string[];
  @ApiProperty({ type: [String] }) candidateGroups: string[];
  @ApiProperty({ type: [String], description: '抄送: the people the task was copied to' }) ccUsers: string[];
  @ApiProperty({ type: [String], description: '抄送: the groups (or role names) the task was copied to' }) ccGroups: string[];
  @ApiProperty({ enum: ['open', 'done', 'canceled'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) formId: string | null;
  @ApiProperty({ nullable: true, type: Date }) dueAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) followUpAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) endedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) outcome: string | null;
}

export class TaskListItemDto extends TaskDto {
  @ApiProperty() processName: string;
}

export class TaskPageDto extends PageDto(TaskListItemDto) {}

export class CompleteTaskDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Variables the task sets (its form data)' })
  @IsOptional() @IsObject() data?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'approved', description: 'approved, rejected, or another word the process tests' })
  @IsOptional() @IsString() @MaxLength(32) outcome?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

const OBJECT = { type: 'object', additionalProperties: true } as const;

export class TaskFormDto {
  @ApiProperty() formId: string;
  @ApiProperty() name: string;
  @ApiProperty() version: number;
  @ApiProperty(OBJECT) schema: Record<string, unknown>;
  @ApiProperty(OBJECT) uischema: Record<string, unknown>;
}

export class TaskDetailDto extends TaskDto {
  @ApiProperty() processName: string;
  @ApiProperty() processVersion: number;
  @ApiProperty({ enum: ['active', 'completed', 'canceled', 'incident'] }) instanceStatus: string;
  @ApiProperty({ nullable: true, type: String }) startedBy: string | null;
  @ApiProperty({ ...OBJECT, description: 'The process variables, to pre-fill the task form' }) variables: Record<string, unknown>;
  @ApiProperty({ type: TaskFormDto, nullable: true, description: 'The published form the task shows (its latest version)' }) form: TaskFormDto | null;
  @ApiProperty({ type: [String], nullable: true, description: 'The form fields this step may change; null: all of them, [] none (read-only)' })
  editableFields: string[] | null;
}

export class TaskCommentDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class TransferTaskDto extends TaskCommentDto {
  @ApiProperty({ description: 'The person who takes the task over' }) @IsUUID() userId: string;
}

export class AddSignerDto extends TaskCommentDto {
  @ApiProperty({ description: 'The person who signs too' }) @IsUUID() userId: string;
  @ApiPropertyOptional({ enum: ['before', 'after'], default: 'after', description: 'before: they sign first, then the task comes back; after: they sign after you' })
  @IsOptional() @IsIn(['before', 'after']) position?: 'before' | 'after';
}

export class ReturnTaskDto extends TaskCommentDto {
  @ApiProperty({ description: 'The id of an earlier user task of this request (BPMN element id)' }) @IsString() @MinLength(1) @MaxLength(200) elementId: string;
}

export class ReturnTargetDto {
  @ApiProperty() elementId: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

export class UrgeResultDto {
  @ApiProperty({ description: 'false when a reminder was sent less than an hour ago' }) urged: boolean;
}
