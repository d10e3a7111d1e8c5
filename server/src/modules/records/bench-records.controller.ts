import { Body, Controller, Module, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RowStatements } from '../../core/database/row-statements.js';
import { IdParam } from '../../core/http/id-param.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { FormRecord } from './record.entity.js';
import { SubmitRecordDto } from './records.dto.js';
import { newId } from '../../core/database/new-id.js';

/**
 * The baseline of `npm run bench`: the same request through the same guard and body parsing, storing
 * the same row in a transaction of its own as submissions do, with no validation, calculation, access
 * check or audit. Mounted only with
 * OPSFLOW_BENCH_ENDPOINTS=true; never in a normal start.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchRecordsController {
  private readonly rows: RowStatements<FormRecord>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.rows = new RowStatements(dataSource, FormRecord);
  }

  @Post('forms/:id/records')
  async insert(@IdParam() formId: string, @Body() body: SubmitRecordDto): Promise<{ id: string }> {
    const actor = RequestContext.requireActor();
    const now = new Date();
    const record: FormRecord = {
      id: newId(), tenantId: actor.tenantId, formId, formVersion: 1, data: body.data, searchText: '',
      submittedBy: actor.userId, processInstanceId: null, createdAt: now, updatedAt: now,
    };
    await this.dataSource.transaction((manager) => this.rows.insert(manager, [record]));
    return { id: record.id };
  }
}

@Module({ controllers: [BenchRecordsController] })
export class BenchRecordsModule {}
