import { Injectable, Logger } from '@nestjs/common';
import type { EngineEvent } from './runtime/runtime-types.js';

type Listener = (event: EngineEvent) => Promise<void> | void;

/**
 * Engine events after their command committed: tasks, audit, notifications and webhooks subscribe.
 * A failing listener is logged and never undoes or blocks the command.
 */
@Injectable()
export class EngineEvents {
  private readonly logger = new Logger('EngineEvents');
  private readonly listeners: Listener[] = [];

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  publish(events: EngineEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) => this.logger.error(`${event.type}: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
  }
}
