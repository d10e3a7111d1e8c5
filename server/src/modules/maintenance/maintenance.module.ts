import { Module } from '@nestjs/common';
import { RetentionSweeper } from './retention.service.js';

/** Housekeeping the deployment would otherwise have to script: pruning what has served its purpose. */
@Module({ providers: [RetentionSweeper], exports: [RetentionSweeper] })
export class MaintenanceModule {}
