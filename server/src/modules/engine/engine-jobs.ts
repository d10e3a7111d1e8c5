import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobRunner } from '../../core/jobs/job-runner.js';
import type { FailedJob, JobContext, JobDefinition, JobHandler, JobPayload } from '../../core/jobs/job.types.js';
import { BpmnError, PermanentTaskFailure, ServiceTaskRegistry } from '../plugins/service-task-registry.js';
import { EngineService } from './engine.service.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { EngineJobs, type ServiceTaskJob } from './runtime/engine-job-names.js';

/** The engine's job handlers: service-task calls on the `plugins` queue, timers, and calls between instances. */
@Injectable()
export class EngineJobHandlers implements OnModuleInit {
  constructor(
    private readonly jobs: JobRunner,
    private readonly engine: EngineService,
    private readonly registry: ServiceTaskRegistry,
    private readonly outbox: OutboxDispatcher,
  ) {}

  onModuleInit(): void {
    this.register(EngineJobs.serviceTask, (job, context) => this.runServiceTask(job, context));
    this.jobs.register(EngineJobs.timerDue, (job, context) => this.engine.fireTimer(job.tenantId, job.timerId, context.settle));
    this.register(EngineJobs.startChild, (job) =>
      this.engine.startChild(job.tenantId, job.instanceId, job.elementInstanceId, job.bpmnProcessId, job.variables));
    this.register(EngineJobs.childCompleted, (job) =>
      this.engine.completeCall(job.tenantId, job.instanceId, job.elementInstanceId, job.childInstanceId, job.variables));
    this.register(EngineJobs.childFailed, (job) =>
      this.engine.failCall(job.tenantId, job.instanceId, job.elementInstanceId, job.errorCode, job.message));
    this.register(EngineJobs.cancelInstance, (job) =>
      this.engine.cancel(job.tenantId, job.instanceId, null, job.reason).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'instance_ended' && (error as { status?: number }).status !== 404) throw error;
      }));
    this.jobs.onFinalFailure((job) => this.serviceTaskGaveUp(job));
  }

  /**
   * Jobs that come from the outbox: their outbox row goes when they are done, in the handler's transaction
   * when it settles the job there (the job is done exactly when its effect is committed).
   */
  private register<P extends JobPayload>(definition: JobDefinition<P>, handler: JobHandler<P>): void {
    this.jobs.register(definition, handler, { done: (manager, jobId) => this.outbox.finished(jobId, manager) });
  }

  /**
   * Calls the task type's handler, then completes the step. A redelivered job may call the handler
   * again (at-least-once), but the step completes once: the result names its job key.
   */
  private async runServiceTask(job: ServiceTaskJob, context: JobContext): Promise<void> {
    const type = this.registry.get(job.type);
    if (!type) {
      await this.engine.failJob(job.tenantId, job.instanceId, job.elementInstanceId, job.jobKey, `No plugin provides the task type "${job.type}"`, context.settle);
      return;
    }
    let output: Record<string, unknown>;
    try {
      output = await type.run(job.input, {
        tenantId: job.tenantId, instanceId: job.instanceId, elementId: job.elementId, jobKey: job.jobKey, headers: job.headers,
        attempt: context.attempt, maxAttempts: context.maxAttempts,
      });
    } catch (error) {
      if (error instanceof BpmnError) {
        await this.engine.throwJobError(job.tenantId, job.instanceId, job.elementInstanceId, job.jobKey, error.code, error.message, context.settle);
        return;
      }
      if (error instanceof PermanentTaskFailure) {
        await this.engine.failJob(job.tenantId, job.instanceId, job.elementInstanceId, job.jobKey, error.message, context.settle);
        return;
      }
      throw error;
    }
    await this.engine.completeJob(job.tenantId, job.instanceId, job.elementInstanceId, job.jobKey, output ?? {}, context.settle);
  }

  private async serviceTaskGaveUp(job: FailedJob): Promise<void> {
    if (job.queue !== EngineJobs.serviceTask.queue || job.name !== EngineJobs.serviceTask.name) return;
    const payload = job.payload as ServiceTaskJob;
    await this.engine.failJob(payload.tenantId, payload.instanceId, payload.elementInstanceId, payload.jobKey,
      `Failed after ${job.attempt} tries: ${job.error}`);
    await this.outbox.finished(job.id);
  }
}
