import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { IdParam } from '../../core/http/id-param.js';
import { StartInstanceDto } from '../processes/processes.dto.js';
import {
  CancelInstanceDto, CorrelateMessageDto, CorrelationResultDto, HistoryEntryDto, IncidentPageDto, IncidentQueryDto, InstanceDetailDto,
  InstanceDto, InstancePageDto, InstanceQueryDto, SetVariablesDto,
} from './engine.dto.js';
import { InstancesService } from './instances.service.js';

@ApiTags('instances')
@Controller()
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Post('processes/:id/instances')
  @ApiCreatedResponse({ type: InstanceDto })
  start(@IdParam() processId: string, @Body() body: StartInstanceDto): Promise<InstanceDto> {
    return this.instances.start(processId, body.variables ?? {}, body.businessKey ?? null, body.version);
  }

  @Get('instances')
  @ApiOkResponse({ type: InstancePageDto })
  list(@Query() query: InstanceQueryDto): Promise<InstancePageDto> {
    return this.instances.list(query);
  }

  @Get('instances/:id')
  @ApiOkResponse({ type: InstanceDetailDto })
  get(@IdParam() id: string): Promise<InstanceDetailDto> {
    return this.instances.get(id);
  }

  @Get('instances/:id/history')
  @ApiOkResponse({ type: [HistoryEntryDto] })
  history(@IdParam() id: string): Promise<HistoryEntryDto[]> {
    return this.instances.history(id);
  }

  @Post('instances/:id/cancel')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async cancel(@IdParam() id: string, @Body() body: CancelInstanceDto): Promise<void> {
    await this.instances.cancel(id, body.reason);
  }

  @Post('instances/:id/withdraw')
  @HttpCode(204)
  @ApiNoContentResponse({ description: '撤回 by the initiator; 409 withdraw_not_allowed once an approver has acted' })
  async withdraw(@IdParam() id: string, @Body() body: CancelInstanceDto): Promise<void> {
    await this.instances.withdraw(id, body.reason ?? null);
  }

  @Patch('instances/:id/variables')
  @RequireRole('admin')
  @ApiOkResponse({ type: InstanceDetailDto, description: 'Merges the given variables (for example to fix data before retrying an incident)' })
  setVariables(@IdParam() id: string, @Body() body: SetVariablesDto): Promise<InstanceDetailDto> {
    return this.instances.setVariables(id, body.variables);
  }

  @Post('messages')
  @HttpCode(200)
  @ApiOkResponse({ type: CorrelationResultDto, description: '404 message_not_correlated when nothing waits for it' })
  correlate(@Body() body: CorrelateMessageDto): Promise<CorrelationResultDto> {
    return this.instances.correlate(body.name, body.correlationKey ?? null, body.variables ?? {});
  }

  @Get('incidents')
  @RequireRole('designer')
  @ApiOkResponse({ type: IncidentPageDto })
  incidents(@Query() query: IncidentQueryDto): Promise<IncidentPageDto> {
    return this.instances.incidents(query);
  }

  @Post('incidents/:id/retry')
  @RequireRole('designer')
  @HttpCode(204)
  @ApiNoContentResponse()
  async retry(@IdParam() id: string): Promise<void> {
    await this.instances.retryIncident(id);
  }
}
