import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type EntityManager, In, IsNull } from 'typeorm';
import { insertRows } from '../../core/database/entity-writes.js';
import { CLOCK } from '../../core/jobs/jobs.module.js';
import type { Clock } from '../../core/jobs/job.types.js';
import { ProcessVersion } from '../processes/process.entity.js';
import { ProcessesService } from '../processes/processes.service.js';
import { EngineTimer, MessageSubscription } from './engine.entities.js';
import type { ProcessModel } from './model/process-model.js';
import { scheduleTimer } from './model/timer-definition.js';
import { newId } from '../../core/database/new-id.js';

/**
 * Timer and message start events belong to the latest version of a process: deploying a version
 * arms its start events and disarms those of the versions before it, in the deploy transaction.
 */
@Injectable()
export class StartEvents implements OnModuleInit {
  constructor(private readonly processes: ProcessesService, @Inject(CLOCK) private readonly clock: Clock) {}

  onModuleInit(): void {
    this.processes.onDeployed((manager, version, model) => this.arm(manager, version, model));
  }

  private async arm(manager: EntityManager, version: ProcessVersion, model: ProcessModel): Promise<void> {
    const older = await manager.find(ProcessVersion, { select: { id: true }, where: { tenantId: version.tenantId, processId: version.processId } });
    const olderIds = older.map((row) => row.id).filter((id) => id !== version.id);
    if (olderIds.length > 0) {
      await manager.delete(EngineTimer, { processVersionId: In(olderIds), instanceId: IsNull(), firedAt: IsNull() });
      await manager.delete(MessageSubscription, { processVersionId: In(olderIds), instanceId: IsNull() });
    }
    const now = this.clock.now();
    for (const startId of model.eventStartIds) {
      const trigger = model.elements.get(startId)!.trigger;
      if (trigger.kind === 'timer') {
        const scheduled = scheduleTimer(trigger.timer.kind, String(trigger.timer.value.evaluate({}, now) ?? ''), now);
        await insertRows(manager, EngineTimer, {
          id: newId(), tenantId: version.tenantId, instanceId: null, elementInstanceId: null, elementId: startId, processVersionId: version.id,
          dueAt: scheduled.dueAt, firedAt: null, repeat: scheduled.repeat, createdAt: now,
        });
      } else if (trigger.kind === 'message') {
        await insertRows(manager, MessageSubscription, {
          id: newId(), tenantId: version.tenantId, name: trigger.messageName, correlationKey: null, instanceId: null, elementInstanceId: null,
          elementId: startId, processVersionId: version.id, createdAt: now,
        });
      }
    }
  }
}
