import { Module } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config.js';
import { FILE_STORAGE, LocalFileStorage } from '../../core/storage/file-storage.js';
import { FilesService } from './files.service.js';

@Module({
  providers: [{ provide: FILE_STORAGE, inject: [AppConfig], useFactory: (config: AppConfig) => new LocalFileStorage(config.filesDir) }, FilesService],
  exports: [FilesService],
})
export class FilesModule {}
