import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional } from 'class-validator';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { IdParam } from '../../core/http/id-param.js';
import { PageDto, PageQueryDto, pageOf, skipTake } from '../../core/http/paging.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { MailService } from './mail.service.js';
import { CHANNELS, NOTIFICATION_KINDS } from './notification.entity.js';
import { NotificationsService } from './notifications.service.js';

export class NotificationQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() unread?: boolean;
}

export class NotificationDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) body: string | null;
  @ApiProperty({ nullable: true, type: String }) link: string | null;
  @ApiProperty({ nullable: true, type: String }) instanceId: string | null;
  @ApiProperty({ nullable: true, type: String }) taskId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: Date }) readAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class NotificationPageDto extends PageDto(NotificationDto) {
  @ApiProperty({ description: 'Unread notifications in all (the bell\'s count)' }) unread: number;
}

export class ChannelChoiceDto {
  @ApiProperty() inApp: boolean;
  @ApiProperty() email: boolean;
}

export class MailSetupDto {
  @ApiProperty({ description: 'E-mails leave by SMTP (OPSFLOW_SMTP_URL); otherwise they wait in the outbox administrators read' }) sending: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Where your e-mails go' }) address: string | null;
}

export class NotificationPreferencesDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS, isArray: true }) kinds: string[];
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels: string[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ChannelChoiceDto) }, description: 'kind → { inApp, email }' })
  preferences: Record<string, ChannelChoiceDto>;
  @ApiProperty({ type: MailSetupDto }) email: MailSetupDto;
}

export class SetNotificationPreferencesDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'kind → { inApp?, email? }: only what changes' })
  @IsObject() preferences: Record<string, unknown>;
}

const MAIL_STATUSES = ['queued', 'sent', 'failed', 'stored'] as const;

export class MailQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MAIL_STATUSES }) @IsOptional() @IsIn(MAIL_STATUSES) status?: (typeof MAIL_STATUSES)[number];
}

export class MailMessageDto {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() to: string;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty() html: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: string;
  @ApiProperty({ enum: MAIL_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) sentAt: Date | null;
}

export class MailPageDto extends PageDto(MailMessageDto) {}

@ApiTags('notifications')
@ApiExtraModels(ChannelChoiceDto)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService, private readonly mail: MailService) {}

  @Get('preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto, description: 'What the signed-in person receives, per kind and channel' })
  async preferences(): Promise<NotificationPreferencesDto> {
    return this.preferencesDto(await this.notifications.preferences());
  }

  @Put('preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto, description: '422 for an unknown kind or channel, or a value that is not true/false; nothing is saved then' })
  async setPreferences(@Body() body: SetNotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return this.preferencesDto(await this.notifications.setPreferences(body.preferences));
  }

  /** The mail outbox: what went out, what failed, and (without SMTP) what waits to be read. */
  @Get('mail')
  @RequireRole('admin')
  @ApiOkResponse({ type: MailPageDto })
  async mailOutbox(@Query() query: MailQueryDto): Promise<MailPageDto> {
    const actor = RequestContext.requireActor();
    const [items, total] = await this.mail.list(actor.tenantId, { status: query.status, ...skipTake(query) });
    return pageOf(items.map(({ tenantId: _tenant, ...rest }) => rest), total, query);
  }

  private async preferencesDto(preferences: Record<string, ChannelChoiceDto>): Promise<NotificationPreferencesDto> {
    return {
      kinds: [...NOTIFICATION_KINDS], channels: [...CHANNELS], preferences,
      email: { sending: this.mail.sending, address: await this.notifications.emailOf() },
    };
  }

  @Get()
  @ApiOkResponse({ type: NotificationPageDto })
  async list(@Query() query: NotificationQueryDto): Promise<NotificationPageDto> {
    const page = await this.notifications.mine(query);
    return { ...page, items: page.items.map(({ tenantId: _tenant, userId: _user, ...rest }) => rest) };
  }

  @Post('read-all')
  @HttpCode(204)
  @ApiNoContentResponse()
  async readAll(): Promise<void> {
    await this.notifications.markRead('all');
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiNoContentResponse()
  async read(@IdParam() id: string): Promise<void> {
    await this.notifications.markRead(id);
  }
}
