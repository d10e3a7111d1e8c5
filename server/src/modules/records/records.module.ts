import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module.js';
import { PublicFormsController } from './public-forms.controller.js';
import { RecordIndexesJob } from './record-indexes.job.js';
import { RecordsController } from './records.controller.js';
import { RecordsImportService } from './records-import.service.js';
import { RecordsQueryService } from './records-query.service.js';
import { RecordsService } from './records.service.js';

@Module({
  imports: [FormsModule],
  controllers: [RecordsController, PublicFormsController],
  providers: [RecordsService, RecordsQueryService, RecordsImportService, RecordIndexesJob],
  exports: [RecordsService],
})
export class RecordsModule {}
