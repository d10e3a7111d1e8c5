import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ServiceTaskRegistry } from './service-task-registry.js';

const OBJECT = { type: 'object', additionalProperties: true } as const;

export class LocalizedTextDto {
  @ApiProperty() en: string;
  @ApiProperty({ name: 'zh-CN' }) 'zh-CN': string;
}

export class TaskTypeDto {
  @ApiProperty({ example: 'http.request' }) type: string;
  @ApiProperty({ type: LocalizedTextDto }) title: LocalizedTextDto;
  @ApiProperty({ type: LocalizedTextDto }) description: LocalizedTextDto;
  @ApiProperty(OBJECT) inputSchema: Record<string, unknown>;
  @ApiProperty(OBJECT) outputSchema: Record<string, unknown>;
}

@ApiTags('plugins')
@Controller('plugins')
export class PluginsController {
  constructor(private readonly registry: ServiceTaskRegistry) {}

  /** The service-task types a process may use (what the process designer offers). */
  @Get('task-types')
  @ApiOkResponse({ type: [TaskTypeDto] })
  taskTypes(): TaskTypeDto[] {
    return this.registry.list().map(({ type, title, description, inputSchema, outputSchema }) => ({ type, title, description, inputSchema, outputSchema }));
  }
}
