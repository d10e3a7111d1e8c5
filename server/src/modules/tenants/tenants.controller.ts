import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../core/auth/auth.decorators.js';
import { LoginLimiter } from '../../core/auth/login-limiter.js';
import { AppConfig } from '../../core/config/app-config.js';
import { AppError } from '../../core/errors/app-error.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { UserDto } from '../org/dto/user.dto.js';
import { CreatedTenantDto, CreateTenantDto } from './tenants.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService, private readonly config: AppConfig, private readonly limiter: LoginLimiter) {}

  /** Open sign-up when OPSFLOW_SIGNUP=open; otherwise only platform admins create tenants. */
  @Post()
  @Public()
  @ApiCreatedResponse({ type: CreatedTenantDto })
  async create(@Body() body: CreateTenantDto): Promise<CreatedTenantDto> {
    const actor = RequestContext.actor();
    if (this.config.signup !== 'open' && !actor?.platformAdmin) {
      throw new AppError(403, 'signup_closed', 'Sign-up is closed here; ask your administrator for an account');
    }
    if (!actor) await this.limiter.admitAddress(RequestContext.meta().ip ?? 'unknown');
    const { tenant, owner } = await this.tenants.create(body);
    return { tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug }, owner: UserDto.from(owner) };
  }
}
