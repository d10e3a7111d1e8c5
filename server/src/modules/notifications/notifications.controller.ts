import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { IdParam } from '../../core/http/id-param.js';
import { PageDto, PageQueryDto } from '../../core/http/paging.js';
import { NOTIFICATION_KINDS } from './notification.entity.js';
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

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

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
