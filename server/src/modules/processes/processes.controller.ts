import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { AppError } from '../../core/errors/app-error.js';
import { ErrorBodyDto } from '../../core/errors/error-body.js';
import { IdParam } from '../../core/http/id-param.js';
import {
  CreateProcessDto, ProcessDto, ProcessQueryDto, ProcessSummaryPageDto, ProcessVersionDto, ProcessVersionSummaryDto, UpdateProcessDto,
} from './processes.dto.js';
import { ProcessesService } from './processes.service.js';

@ApiTags('processes')
@Controller('processes')
export class ProcessesController {
  constructor(private readonly processes: ProcessesService) {}

  @Get()
  @ApiOkResponse({ type: ProcessSummaryPageDto })
  list(@Query() query: ProcessQueryDto): Promise<ProcessSummaryPageDto> {
    return this.processes.list(query);
  }

  @Post()
  @RequireRole('designer')
  @ApiCreatedResponse({ type: ProcessDto })
  create(@Body() body: CreateProcessDto): Promise<ProcessDto> {
    return this.processes.create(body);
  }

  @Get(':id')
  @RequireRole('designer')
  @ApiOkResponse({ type: ProcessDto })
  get(@IdParam() id: string): Promise<ProcessDto> {
    return this.processes.get(id);
  }

  @Patch(':id')
  @RequireRole('designer')
  @ApiOkResponse({ type: ProcessDto })
  update(@IdParam() id: string, @Body() body: UpdateProcessDto): Promise<ProcessDto> {
    return this.processes.update(id, body);
  }

  @Post(':id/deploy')
  @RequireRole('designer')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessVersionDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'process_invalid: details list every problem, `path` being the BPMN element id' })
  deploy(@IdParam() id: string): Promise<ProcessVersionDto> {
    return this.processes.deploy(id);
  }

  @Get(':id/versions')
  @RequireRole('designer')
  @ApiOkResponse({ type: [ProcessVersionSummaryDto] })
  versions(@IdParam() id: string): Promise<ProcessVersionSummaryDto[]> {
    return this.processes.versions(id);
  }

  @Get(':id/versions/:version')
  @ApiOkResponse({ type: ProcessVersionDto })
  version(
    @IdParam() id: string,
    @Param('version', new ParseIntPipe({ exceptionFactory: () => AppError.notFound('The process version') })) version: number,
  ): Promise<ProcessVersionDto> {
    return this.processes.getVersion(id, version);
  }
}
