import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { IdParam } from '../../core/http/id-param.js';
import { PageQueryDto } from '../../core/http/paging.js';
import { AppDto, AppPageDto, CreateAppDto, UpdateAppDto } from './apps.dto.js';
import { AppsService } from './apps.service.js';

@ApiTags('apps')
@Controller('apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  @Get()
  @ApiOkResponse({ type: AppPageDto })
  list(@Query() query: PageQueryDto): Promise<AppPageDto> {
    return this.apps.list(query);
  }

  @Post()
  @RequireRole('designer')
  @ApiCreatedResponse({ type: AppDto })
  create(@Body() body: CreateAppDto): Promise<AppDto> {
    return this.apps.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: AppDto })
  get(@IdParam() id: string): Promise<AppDto> {
    return this.apps.get(id);
  }

  @Patch(':id')
  @RequireRole('designer')
  @ApiOkResponse({ type: AppDto })
  update(@IdParam() id: string, @Body() body: UpdateAppDto): Promise<AppDto> {
    return this.apps.update(id, body);
  }

  @Delete(':id')
  @RequireRole('designer')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@IdParam() id: string): Promise<void> {
    await this.apps.remove(id);
  }
}
