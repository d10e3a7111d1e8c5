import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../core/http/id-param.js';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { CreateGroupDto, GroupDto, GroupListDto, GroupMembersDto, UpdateGroupDto } from './dto/org.dto.js';
import { GroupsService } from './groups.service.js';

@ApiTags('org')
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @ApiOkResponse({ type: GroupListDto })
  async list(): Promise<GroupListDto> {
    const items = await this.groups.list();
    return { items, total: items.length };
  }

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: GroupDto })
  create(@Body() body: CreateGroupDto): Promise<GroupDto> {
    return this.groups.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: GroupDto })
  get(@IdParam() id: string): Promise<GroupDto> {
    return this.groups.get(id);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOkResponse({ type: GroupDto })
  update(@IdParam() id: string, @Body() body: UpdateGroupDto): Promise<GroupDto> {
    return this.groups.update(id, body);
  }

  @Put(':id/members')
  @RequireRole('admin')
  @ApiOkResponse({ type: GroupDto })
  setMembers(@IdParam() id: string, @Body() body: GroupMembersDto): Promise<GroupDto> {
    return this.groups.setMembers(id, body.userIds);
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@IdParam() id: string): Promise<void> {
    await this.groups.remove(id);
  }
}
