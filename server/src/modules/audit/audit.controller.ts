import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';
import { AUDIT_ACTIONS, AUDIT_TARGETS, type AuditAction, type AuditTarget } from './audit-actions.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS }) @IsOptional() @IsIn(AUDIT_ACTIONS) action?: AuditAction;
}

export class AuditEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ enum: ['user', 'api-key', 'system', 'anonymous'] }) actorKind: string;
  @ApiProperty({ enum: AUDIT_ACTIONS, enumName: 'AuditAction' }) action: AuditAction;
  @ApiProperty({ enum: AUDIT_TARGETS, enumName: 'AuditTarget' }) targetType: AuditTarget;
  @ApiProperty({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty() createdAt: Date;
}

class AuditEventPageDto extends PageDto(AuditEventDto) {}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireRole('admin')
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Query() query: AuditQueryDto): Promise<AuditEventPageDto> {
    return this.audit.list(query);
  }
}
