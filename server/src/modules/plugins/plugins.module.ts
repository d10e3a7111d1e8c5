import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config.js';
import { logTask, noopTask, setVariablesTask } from './built-in/basic-tasks.js';
import { httpRequestTask } from './built-in/http-request-task.js';
import { PluginsController } from './plugins.controller.js';
import { ServiceTaskRegistry } from './service-task-registry.js';

/** The service-task registry and the built-in types (noop, log, set-variables, http.request). */
@Global()
@Module({ controllers: [PluginsController], providers: [ServiceTaskRegistry], exports: [ServiceTaskRegistry] })
export class PluginsModule implements OnModuleInit {
  constructor(private readonly registry: ServiceTaskRegistry, private readonly config: AppConfig) {}

  onModuleInit(): void {
    for (const type of [noopTask, logTask, setVariablesTask, httpRequestTask(this.config.httpAllowHosts)]) this.registry.register(type);
  }
}
