import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EngineEvents } from '../engine/engine-events.js';
import { holdersOf } from '../engine/task-candidates.js';
import { peopleIn } from '../org/people.js';
import { LiveHub } from './live-hub.js';

/** Turns engine events into live events: a new task reaches the inboxes it belongs in. */
@Injectable()
export class LiveSources implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EngineEvents,
    private readonly hub: LiveHub,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(async (event) => {
      if (event.type !== 'task.created') return;
      const { task } = event;
      // A copy: holdersOf gives the task's own candidate list, which other listeners of this event read.
      const people = [...holdersOf(task)];
      // Offered to groups and no one in particular: everyone in them sees it in "to claim".
      if (!task.assignee && task.candidateGroups.length > 0) people.push(...(await peopleIn(this.dataSource.manager, event.tenantId, task.candidateGroups)));
      this.hub.publish(event.tenantId, people, { type: 'task', taskId: task.id, instanceId: task.instanceId, name: task.name });
    });
  }
}
