import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { IdParam } from '../../core/http/id-param.js';
import { RequireRole } from '../../core/auth/auth.decorators.js';
import { ErrorBodyDto } from '../../core/errors/error-body.js';
import { CreatedUserDto, CreateUserDto, ImportResultDto, ImportUsersDto, UpdateUserDto, UserDto, UserPageDto, UserQueryDto } from './dto/user.dto.js';
import { UsersImportService } from './users-import.service.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService, private readonly importer: UsersImportService) {}

  /** Everyone signed in may look people up (user pickers, assignees). */
  @Get()
  @ApiOkResponse({ type: UserPageDto })
  async list(@Query() query: UserQueryDto): Promise<UserPageDto> {
    const page = await this.users.list(query);
    return { ...page, items: page.items.map(UserDto.from) };
  }

  @Post()
  @RequireRole('admin')
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto })
  async create(@Body() body: CreateUserDto): Promise<CreatedUserDto> {
    const { user, inviteUrl } = await this.users.create(body);
    return { ...UserDto.from(user), ...(inviteUrl ? { inviteUrl } : {}) };
  }

  @Post('import')
  @RequireRole('admin')
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'details name each bad cell as rows[N].column' })
  async import(@Body() body: ImportUsersDto): Promise<ImportResultDto> {
    const { created } = await this.importer.import(body.csv);
    return { created: created.length, users: created.map(({ user, inviteUrl }) => ({ ...UserDto.from(user), ...(inviteUrl ? { inviteUrl } : {}) })) };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  async get(@IdParam() id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOkResponse({ type: UserDto })
  async update(@IdParam() id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.update(id, body));
  }
}
