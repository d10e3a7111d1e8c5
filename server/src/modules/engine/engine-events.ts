import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { EngineEvent } from './runtime/runtime-types.js';

type Listener = (event: EngineEvent) => Promise<void> | void;

/**
 * Engine events after their command committed: tasks, audit, notifications and webhooks subscribe.
 * A failing listener is logged and never undoes or blocks the command.
 */
@Injectable()
export class EngineEvents implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EngineEvents');
  private readonly listeners: Listener[] = [];
  /** Listener calls not yet finished: shutdown and tests wait for them. */
  private readonly running = new Set<Promise<void>>();

  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  publish(events: EngineEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        const call: Promise<void> = Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) => this.logger.error(`${event.type}: ${error instanceof Error ? error.message : String(error)}`))
          .finally(() => this.running.delete(call));
        this.running.add(call);
      }
    }
  }

  /** Resolves once every listener call published so far (and any they published) has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}
