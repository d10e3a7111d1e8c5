import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { AppError } from '../../core/errors/app-error.js';
import { ErrorBodyDto } from '../../core/errors/error-body.js';
import { IdParam } from '../../core/http/id-param.js';
import { listFields } from './form-fields.js';
import {
  CreateFormDto, FormDto, FormFieldListDto, FormQueryDto, FormSummaryPageDto, FormVersionDto, FormVersionListDto, UpdateFormDto,
} from './forms.dto.js';
import { FormsService } from './forms.service.js';

@ApiTags('forms')
@Controller('forms')
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @Get()
  @ApiOkResponse({ type: FormSummaryPageDto })
  list(@Query() query: FormQueryDto): Promise<FormSummaryPageDto> {
    return this.forms.list(query);
  }

  @Post()
  @RequireRole('designer')
  @ApiCreatedResponse({ type: FormDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'invalid_form, unsafe_pattern or unknown_scope, with the path of each problem' })
  create(@Body() body: CreateFormDto): Promise<FormDto> {
    return this.forms.create(body);
  }

  @Get(':id')
  @RequireRole('designer')
  @ApiOkResponse({ type: FormDto, description: 'The draft, for the designer' })
  get(@IdParam() id: string): Promise<FormDto> {
    return this.forms.get(id);
  }

  @Patch(':id')
  @RequireRole('designer')
  @ApiOkResponse({ type: FormDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto })
  update(@IdParam() id: string, @Body() body: UpdateFormDto): Promise<FormDto> {
    return this.forms.update(id, body);
  }

  @Delete(':id')
  @RequireRole('designer')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@IdParam() id: string): Promise<void> {
    await this.forms.remove(id);
  }

  @Post(':id/publish')
  @RequireRole('designer')
  @HttpCode(200)
  @ApiOkResponse({ type: FormVersionDto })
  publish(@IdParam() id: string): Promise<FormVersionDto> {
    return this.forms.publish(id);
  }

  @Get(':id/versions')
  @RequireRole('designer')
  @ApiOkResponse({ type: FormVersionListDto })
  async versions(@IdParam() id: string): Promise<FormVersionListDto> {
    const items = await this.forms.versions(id);
    return { items, total: items.length };
  }

  @Get(':id/published')
  @ApiOkResponse({ type: FormVersionDto, description: 'The latest published version: what people fill in' })
  published(@IdParam() id: string): Promise<FormVersionDto> {
    return this.forms.getVersion(id, 'latest');
  }

  @Get(':id/versions/:version')
  @ApiOkResponse({ type: FormVersionDto })
  version(@IdParam() id: string, @Param('version') version: string): Promise<FormVersionDto> {
    const number = Number(version);
    if (!Number.isInteger(number) || number < 1) throw AppError.notFound('This version of the form');
    return this.forms.getVersion(id, number);
  }

  @Get(':id/fields')
  @ApiOkResponse({ type: FormFieldListDto, description: 'The fields of the latest published version, for filters and columns' })
  async fields(@IdParam() id: string): Promise<FormFieldListDto> {
    const version = await this.forms.getVersion(id, 'latest');
    return { items: listFields(version.schema) };
  }
}
