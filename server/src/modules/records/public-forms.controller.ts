import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Public } from '../../core/auth/auth.decorators.js';
import { AppError } from '../../core/errors/app-error.js';
import { ErrorBodyDto } from '../../core/errors/error-body.js';
import { isRateLimitResult, RateLimiterFactory } from '../../core/http/rate-limiter.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { FormsService } from '../forms/forms.service.js';
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

  constructor(private readonly forms: FormsService, private readonly records: RecordsService, limiters: RateLimiterFactory) {
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
    try {
      await this.limiter.consume(`${form.id}:${RequestContext.meta().ip ?? 'unknown'}`);
    } catch (error) {
      if (isRateLimitResult(error)) throw new AppError(429, 'too_many_requests', 'Too many submissions from your network; please try again later');
      throw error;
    }
    const record = await this.records.submitPublic(form, version, body.data);
    return { id: record.id, createdAt: record.createdAt };
  }

  private load(token: string) {
    if (!TOKEN.test(token)) throw AppError.notFound('The form');
    return this.forms.byPublicToken(token);
  }
}
