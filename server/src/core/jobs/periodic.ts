import type { Logger } from '@nestjs/common';
import type { JobRunner } from './job-runner.js';

/**
 * Housekeeping that runs every `everyMs` in the processes that run jobs (workers; the API process with the
 * inline driver), never two runs at once; a failed run is logged and the next one tries again. The timer
 * does not keep the process alive; `stop()` waits for a run under way.
 */
export class Periodic {
  private readonly interval: ReturnType<typeof setInterval>;
  private running: Promise<void> | undefined;

  constructor(jobs: JobRunner, everyMs: number, task: () => Promise<unknown>, logger: Logger) {
    this.interval = setInterval(() => {
      if (!jobs.consuming || this.running) return;
      this.running = task().then(() => undefined, (error: unknown) => logger.error(String(error))).finally(() => (this.running = undefined));
    }, everyMs);
    this.interval.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.running;
  }
}
