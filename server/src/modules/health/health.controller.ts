import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../../core/auth/auth.decorators.js';
import { JobRunner } from '../../core/jobs/job-runner.js';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: 'ok' | 'degraded';
  @ApiProperty({ enum: ['ok', 'down'] }) db: 'ok' | 'down';
  @ApiProperty({ enum: ['ok', 'down'] }) queue: 'ok' | 'down';
  @ApiProperty({ enum: ['sqlite', 'postgres'] }) database: string;
  @ApiProperty({ enum: ['inline', 'bullmq'] }) jobs: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly jobs: JobRunner) {}

  /** 200 when the database and the job runner answer, 503 otherwise (for load balancers). */
  @Get()
  @Public()
  @ApiOkResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
    const db = await this.dataSource.query('SELECT 1').then(() => 'ok' as const, () => 'down' as const);
    const queue = await this.jobs.driver.health();
    const status = db === 'ok' && queue === 'ok' ? 'ok' : 'degraded';
    if (status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status, db, queue, database: this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite', jobs: this.jobs.driver.kind };
  }
}
