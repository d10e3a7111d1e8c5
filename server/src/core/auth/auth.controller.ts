import { Body, Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { ErrorBodyDto } from '../errors/error-body.js';
import { RequestContext } from '../tenancy/request-context.js';
import { UserDto } from '../../modules/org/dto/user.dto.js';
import { User } from '../../modules/org/user.entity.js';
import { TenantsService } from '../../modules/tenants/tenants.service.js';
import { AppError } from '../errors/app-error.js';
import { Public } from './auth.decorators.js';
import { AcceptInviteDto, LoginDto, MeDto, PublicSettingsDto, UpdateMeDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { SESSION_COOKIE } from './session.service.js';

export const VERSION = '0.1.0';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService, private readonly tenants: TenantsService, private readonly config: AppConfig) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: MeDto, description: 'Signed in; the session cookie is set' })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) response: FastifyReply): Promise<MeDto> {
    const { user, token, expiresAt } = await this.auth.login(body.email, body.password, body.tenant, RequestContext.meta());
    this.setCookie(response, token, expiresAt);
    return this.me(user, 'session');
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@Res({ passthrough: true }) response: FastifyReply): Promise<void> {
    await this.auth.logout();
    void response.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies });
  }

  @Get('auth/me')
  @ApiOkResponse({ type: MeDto })
  async getMe(): Promise<MeDto> {
    return this.me(await this.auth.currentUser(), RequestContext.requireActor().kind === 'api-key' ? 'api-key' : 'session');
  }

  @Patch('auth/me')
  @ApiOkResponse({ type: MeDto })
  async updateMe(@Body() body: UpdateMeDto): Promise<MeDto> {
    return this.me(await this.auth.updateMe(body), 'session');
  }

  @Post('auth/accept-invite')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: MeDto })
  async acceptInvite(@Body() body: AcceptInviteDto, @Res({ passthrough: true }) response: FastifyReply): Promise<MeDto> {
    const { user, token, expiresAt } = await this.auth.acceptInvite(body.token, body.password, RequestContext.meta());
    this.setCookie(response, token, expiresAt);
    return this.me(user, 'session');
  }

  @Get('public/settings')
  @Public()
  @ApiOkResponse({ type: PublicSettingsDto })
  settings(): PublicSettingsDto {
    return { signup: this.config.signup, version: VERSION };
  }

  private setCookie(response: FastifyReply, token: string, expires: Date): void {
    void response.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies, path: '/', expires });
  }

  private async me(user: User, via: 'session' | 'api-key'): Promise<MeDto> {
    const tenant = await this.tenants.get(user.tenantId);
    if (!tenant) throw AppError.unauthenticated();
    return { user: UserDto.from(user), tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug }, via };
  }
}
