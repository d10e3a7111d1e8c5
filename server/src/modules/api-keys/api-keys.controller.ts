import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../core/http/id-param.js';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { PageQueryDto } from '../../core/http/paging.js';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('api-keys')
@Controller('api-keys')
@RequireRole('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({ type: ApiKeyPageDto })
  async list(@Query() query: PageQueryDto): Promise<ApiKeyPageDto> {
    const page = await this.keys.list(query);
    return { ...page, items: page.items.map(ApiKeyDto.from) };
  }

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.keys.create(body);
    return { ...ApiKeyDto.from(apiKey), key };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revoke(@IdParam() id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
