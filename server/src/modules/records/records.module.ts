import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';
import { AppConfig } from '../../core/config/app-config.js';
import { FilesModule } from '../files/files.module.js';
import { FormsModule } from '../forms/forms.module.js';
import { FilesController } from './files.controller.js';
import { PublicFormsController } from './public-forms.controller.js';
import { RecordIndexesJob } from './record-indexes.job.js';
import { RecordsController } from './records.controller.js';
import { RecordsImportService } from './records-import.service.js';
import { RecordsQueryService } from './records-query.service.js';
import { RecordsService } from './records.service.js';

@Module({
  imports: [
    FormsModule,
    FilesModule,
    // One file per request, up to OPSFLOW_UPLOAD_MAX_MB (413 beyond), held in memory until stored; UTF-8 file names.
    MultipartModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 5, parts: 6 }, defParamCharset: 'utf8' }),
    }),
  ],
  controllers: [RecordsController, PublicFormsController, FilesController],
  providers: [RecordsService, RecordsQueryService, RecordsImportService, RecordIndexesJob],
  exports: [RecordsService],
})
export class RecordsModule {}
