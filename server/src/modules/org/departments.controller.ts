import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../../core/http/id-param.js';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { DepartmentsService } from './departments.service.js';
import { CreateDepartmentDto, DepartmentDto, DepartmentListDto, UpdateDepartmentDto } from './dto/org.dto.js';

@ApiTags('org')
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @ApiOkResponse({ type: DepartmentListDto })
  async list(): Promise<DepartmentListDto> {
    const items = await this.departments.list();
    return { items: items.map(toDto), total: items.length };
  }

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: DepartmentDto })
  async create(@Body() body: CreateDepartmentDto): Promise<DepartmentDto> {
    return toDto(await this.departments.create(body));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOkResponse({ type: DepartmentDto })
  async update(@IdParam() id: string, @Body() body: UpdateDepartmentDto): Promise<DepartmentDto> {
    return toDto(await this.departments.update(id, body));
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@IdParam() id: string): Promise<void> {
    await this.departments.remove(id);
  }
}

function toDto(d: DepartmentDto): DepartmentDto {
  return { id: d.id, name: d.name, parentId: d.parentId, headId: d.headId, createdAt: d.createdAt };
}
