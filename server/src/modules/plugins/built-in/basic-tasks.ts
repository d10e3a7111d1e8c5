import { Logger } from '@nestjs/common';
import { PermanentTaskFailure, type ServiceTaskType } from '../service-task-registry.js';

/** Does nothing and completes: a placeholder while a process is being drawn, and the reference for benchmarks. */
export const noopTask: ServiceTaskType = {
  type: 'noop',
  title: { en: 'Do nothing', 'zh-CN': '空操作' },
  description: { en: 'Completes at once without changing anything.', 'zh-CN': '立即完成，不做任何更改。' },
  inputSchema: { type: 'object', properties: {} },
  outputSchema: { type: 'object', properties: {} },
  run: async () => ({}),
};

const logger = new Logger('ProcessLog');

/** Writes a line to the server log (for tracing a process while building it). */
export const logTask: ServiceTaskType = {
  type: 'log',
  title: { en: 'Write to the log', 'zh-CN': '写入日志' },
  description: { en: 'Writes the message to the server log.', 'zh-CN': '把消息写入服务器日志。' },
  inputSchema: { type: 'object', properties: { message: { type: 'string', title: 'Message' } } },
  outputSchema: { type: 'object', properties: {} },
  run: async (input, context) => {
    const message = typeof input.message === 'string' ? input.message : JSON.stringify(input.message ?? null);
    logger.log(`[${context.tenantId} ${context.instanceId} ${context.elementId}] ${message.slice(0, 2000)}`);
    return {};
  },
};

/** Sets process variables from its input `variables` (a context built by input mappings). */
export const setVariablesTask: ServiceTaskType = {
  type: 'set-variables',
  title: { en: 'Set variables', 'zh-CN': '设置变量' },
  description: { en: 'Sets the variables given in "variables" on the process.', 'zh-CN': '把 "variables" 中的值写入流程变量。' },
  inputSchema: { type: 'object', properties: { variables: { type: 'object', title: 'Variables' } }, required: ['variables'] },
  outputSchema: { type: 'object', additionalProperties: true },
  run: async (input) => {
    const variables = input.variables;
    if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
      throw new PermanentTaskFailure('The input "variables" must be a context such as ={approved: true}');
    }
    return { ...(variables as Record<string, unknown>) };
  },
};
