import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../core/http/id-param.js';
import { CompleteTaskDto, TaskDetailDto, TaskDto, TaskPageDto, TaskQueryDto } from './tasks.dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOkResponse({ type: TaskPageDto })
  list(@Query() query: TaskQueryDto): Promise<TaskPageDto> {
    return this.tasks.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskDetailDto })
  get(@IdParam() id: string): Promise<TaskDetailDto> {
    return this.tasks.get(id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDto })
  claim(@IdParam() id: string): Promise<TaskDto> {
    return this.tasks.claim(id);
  }

  @Post(':id/complete')
  @HttpCode(204)
  @ApiNoContentResponse({ description: '409 task_not_open when it was completed meanwhile' })
  async complete(@IdParam() id: string, @Body() body: CompleteTaskDto): Promise<void> {
    await this.tasks.complete(id, body);
  }
}
