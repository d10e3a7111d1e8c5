import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { ErrorBodyDto } from '../../core/errors/error-body.js';
import { IdParam } from '../../core/http/id-param.js';
import { PageQueryDto } from '../../core/http/paging.js';
import {
  ExportQueryDto, ImportRecordsDto, ImportRecordsResultDto, MyRecordPageDto, RecordDto, RecordPageDto, RecordQueryDto, SubmitRecordDto,
} from './records.dto.js';
import { RecordsImportService } from './records-import.service.js';
import { RecordsQueryService } from './records-query.service.js';
import { RecordsService } from './records.service.js';

@ApiTags('records')
@Controller()
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly queries: RecordsQueryService,
    private readonly importer: RecordsImportService,
  ) {}

  @Post('forms/:id/records')
  @ApiCreatedResponse({ type: RecordDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'validation_failed with details at data.<field>' })
  @ApiForbiddenResponse({ type: ErrorBodyDto })
  submit(@IdParam() id: string, @Body() body: SubmitRecordDto): Promise<RecordDto> {
    return this.records.submit(id, body.data);
  }

  @Get('forms/:id/records')
  @ApiOkResponse({ type: RecordPageDto })
  list(@IdParam() id: string, @Query() query: RecordQueryDto): Promise<RecordPageDto> {
    return this.queries.list(id, query);
  }

  @Get('forms/:id/records/export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The records of the current filter as a file' })
  async export(@IdParam() id: string, @Query() query: ExportQueryDto, @Res({ passthrough: true }) response: FastifyReply): Promise<StreamableFile> {
    const file = await this.queries.export(id, query, query.format);
    void response.headers({ 'content-disposition': contentDisposition(file.filename), 'content-type': file.contentType });
    return new StreamableFile(file.body);
  }

  @Post('forms/:id/records/import')
  @ApiCreatedResponse({ type: ImportRecordsResultDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'import_failed with details at rows[N].<field>' })
  async import(@IdParam() id: string, @Body() body: ImportRecordsDto): Promise<ImportRecordsResultDto> {
    return { created: await this.importer.import(id, body.csv) };
  }

  @Get('records/mine')
  @ApiOkResponse({ type: MyRecordPageDto })
  mine(@Query() query: PageQueryDto): Promise<MyRecordPageDto> {
    return this.records.mine(query);
  }

  @Get('records/:id')
  @ApiOkResponse({ type: RecordDto })
  get(@IdParam() id: string): Promise<RecordDto> {
    return this.records.get(id);
  }

  @Patch('records/:id')
  @ApiOkResponse({ type: RecordDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto })
  update(@IdParam() id: string, @Body() body: SubmitRecordDto): Promise<RecordDto> {
    return this.records.update(id, body.data);
  }

  @Delete('records/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@IdParam() id: string): Promise<void> {
    await this.records.remove(id);
  }
}
