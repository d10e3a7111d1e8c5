import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
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
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database or the job runner does not answer' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const db = await this.dataSource.query('SELECT 1').then(() => 'ok' as const, () => 'down' as const);
    const queue = await this.jobs.driver.health();
    const status = db === 'ok' && queue === 'ok' ? 'ok' : 'degraded';
    const body: HealthDto = { status, db, queue, database: this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite', jobs: this.jobs.driver.kind };
    // Sent here: a status set on a passthrough response is overwritten by the route's 200.
    await reply.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(body);
  }
}
