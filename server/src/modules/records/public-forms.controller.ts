import { Body, Controller, Get, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-fastify/multipart';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Public } from '../../core/auth/auth.decorators.js';
import { AppError } from '../../core/errors/app-error.js';
import { ErrorBodyDto } from '../../core/errors/error-body.js';
import { isRateLimitResult, RateLimiterFactory } from '../../core/http/rate-limiter.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { FilesService, type UploadedFile as Upload } from '../files/files.service.js';
import { FormsService } from '../forms/forms.service.js';
import { FileDto, UPLOAD_BODY } from './files.controller.js';
import { PublicFormDto, PublicSubmissionDto, SubmitRecordDto } from './records.dto.js';
import { RecordsService } from './records.service.js';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Public links (`/f/<token>`): no sign-in. Submissions are limited per address; the address is
 * counted in the limiter only and never stored with the record.
 */
@ApiTags('public forms')
@Controller('public/forms')
export class PublicFormsController {
  private readonly limiter: RateLimiterAbstract;

  constructor(private readonly forms: FormsService, private readonly records: RecordsService, private readonly files: FilesService, limiters: RateLimiterFactory) {
    this.limiter = limiters.create('public-submit', { points: 20, duration: 10 * 60 });
  }

  @Get(':token')
  @Public()
  @ApiOkResponse({ type: PublicFormDto })
  async get(@Param('token') token: string): Promise<PublicFormDto> {
    const { form, version } = await this.load(token);
    return { formId: form.id, name: form.name, version: version.version, schema: version.schema, uischema: version.uischema, anonymous: version.settings.anonymous };
  }

  @Post(':token/records')
  @Public()
  @ApiCreatedResponse({ type: PublicSubmissionDto })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto })
  async submit(@Param('token') token: string, @Body() body: SubmitRecordDto): Promise<PublicSubmissionDto> {
    const { form, version } = await this.load(token);
    await this.admit(form.id);
    const record = await this.records.submitPublic(form, version, body.data);
    return { id: record.id, createdAt: record.createdAt };
  }

  /** A file for a file field of this form; it is attached when the submission that names it arrives. */
  @Post(':token/files')
  @Public()
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiCreatedResponse({ type: FileDto })
  async upload(@Param('token') token: string, @UploadedFile() file: Upload | undefined): Promise<FileDto> {
    const { form } = await this.load(token);
    if (!file) throw AppError.validation([{ path: 'file', message: 'Choose a file to upload' }]);
    await this.admit(form.id);
    return FileDto.from(await this.files.upload(file, { tenantId: form.tenantId, userId: null, formId: form.id }));
  }

  private async admit(formId: string): Promise<void> {
    try {
      await this.limiter.consume(`${formId}:${RequestContext.meta().ip ?? 'unknown'}`);
    } catch (error) {
      if (isRateLimitResult(error)) throw new AppError(429, 'too_many_requests', 'Too many submissions from your network; please try again later');
      throw error;
    }
  }

  private load(token: string) {
    if (!TOKEN.test(token)) throw AppError.notFound('The form');
    return this.forms.byPublicToken(token);
  }
}
