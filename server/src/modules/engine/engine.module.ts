import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module.js';
import { ProcessesModule } from '../processes/processes.module.js';
import { RecordsModule } from '../records/records.module.js';
import { EngineEvents } from './engine-events.js';
import { EngineJobHandlers } from './engine-jobs.js';
import { EngineScheduler } from './engine-scheduler.js';
import { EngineService } from './engine.service.js';
import { InstancesController } from './instances.controller.js';
import { InstancesService } from './instances.service.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { StartEvents } from './start-events.js';
import { StartForms } from './start-forms.js';
import { TaskRouting } from './task-routing.js';

/** Runs deployed processes: commands, job handlers, the timer checker, and the instances API. */
@Module({
  imports: [ProcessesModule, RecordsModule, OrgModule],
  controllers: [InstancesController],
  providers: [EngineService, EngineEvents, OutboxDispatcher, EngineScheduler, EngineJobHandlers, StartEvents, StartForms, InstancesService, TaskRouting],
  exports: [EngineService, EngineEvents, EngineScheduler],
})
export class EngineModule {}
