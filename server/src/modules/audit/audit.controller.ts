import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) action?: string;
}

export class AuditEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ enum: ['user', 'api-key', 'system'] }) actorKind: string;
  @ApiProperty({ example: 'user.created' }) action: string;
  @ApiProperty({ example: 'user' }) targetType: string;
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
