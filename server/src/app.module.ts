import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './core/config/app-config.js';
import { ConfigModule } from './core/config/config.module.js';
import { dataSourceOptions, initializeDataSource } from './core/database/data-source.js';
import { AuthModule } from './core/auth/auth.module.js';
import { JobsModule } from './core/jobs/jobs.module.js';
import type { Clock } from './core/jobs/job.types.js';
import { ApiKeysModule } from './modules/api-keys/api-keys.module.js';
import { AppsModule } from './modules/apps/apps.module.js';
import { FormsModule } from './modules/forms/forms.module.js';
import { RecordsModule } from './modules/records/records.module.js';
import { BenchRecordsModule } from './modules/records/bench-records.controller.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { OrgModule } from './modules/org/org.module.js';
import { SeedModule } from './modules/seed/seed.module.js';
import { TenantsModule } from './modules/tenants/tenants.module.js';
import { PluginsModule } from './modules/plugins/plugins.module.js';
import { ProcessesModule } from './modules/processes/processes.module.js';
import { EngineModule } from './modules/engine/engine.module.js';
import { TasksModule } from './modules/tasks/tasks.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { MaintenanceModule } from './modules/maintenance/maintenance.module.js';
import { LiveModule } from './modules/live/live.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** Worker processes consume the queues; API processes on BullMQ only enqueue. */
  consumeJobs: boolean;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, consumeJobs, clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config),
          dataSourceFactory: (options) => initializeDataSource(options!),
        }),
        JobsModule.forRoot(consumeJobs, clock),
        AuditModule,
        AuthModule,
        OrgModule,
        TenantsModule,
        ApiKeysModule,
        AppsModule,
        FormsModule,
        RecordsModule,
        PluginsModule,
        ProcessesModule,
        EngineModule,
        TasksModule,
        LiveModule,
        NotificationsModule,
        MaintenanceModule,
        HealthModule,
        SeedModule,
        ...(config.benchEndpoints ? [BenchRecordsModule] : []),
      ],
    };
  }
}
