import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../core/http/id-param.js';
import {
  AddSignerDto, CompleteTaskDto, ReturnTargetDto, ReturnTaskDto, TaskCommentDto, TaskDetailDto, TaskDto, TaskPageDto, TaskQueryDto,
  TransferTaskDto, UrgeResultDto,
} from './tasks.dto.js';
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

  @Post(':id/unclaim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDto })
  unclaim(@IdParam() id: string): Promise<TaskDto> {
    return this.tasks.unclaim(id);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDto, description: '转办: the task goes to another person' })
  transfer(@IdParam() id: string, @Body() body: TransferTaskDto): Promise<TaskDto> {
    return this.tasks.transfer(id, body);
  }

  @Post(':id/add-signer')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDto, description: '加签: another person signs before or after the assignee' })
  addSigner(@IdParam() id: string, @Body() body: AddSignerDto): Promise<TaskDto> {
    return this.tasks.addSigner(id, body);
  }

  @Get(':id/return-targets')
  @ApiOkResponse({ type: [ReturnTargetDto], description: 'Earlier tasks this one can be returned to' })
  returnTargets(@IdParam() id: string): Promise<ReturnTargetDto[]> {
    return this.tasks.returnTargets(id);
  }

  @Post(':id/return')
  @HttpCode(204)
  @ApiNoContentResponse({ description: '驳回: back to an earlier task; 409 return_not_allowed otherwise' })
  async returnTo(@IdParam() id: string, @Body() body: ReturnTaskDto): Promise<void> {
    await this.tasks.returnTo(id, body);
  }

  @Post(':id/urge')
  @HttpCode(200)
  @ApiOkResponse({ type: UrgeResultDto, description: '催办: a reminder to the assignee, at most once an hour' })
  urge(@IdParam() id: string, @Body() body: TaskCommentDto): Promise<UrgeResultDto> {
    return this.tasks.urge(id, body);
  }

  @Post(':id/complete')
  @HttpCode(204)
  @ApiNoContentResponse({ description: '409 task_not_open when it was completed meanwhile' })
  async complete(@IdParam() id: string, @Body() body: CompleteTaskDto): Promise<void> {
    await this.tasks.complete(id, body);
  }
}
