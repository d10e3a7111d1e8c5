import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../../modules/api-keys/api-keys.module.js';
import { OrgModule } from '../../modules/org/org.module.js';
import { TenantsModule } from '../../modules/tenants/tenants.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { RateLimiterFactory } from '../http/rate-limiter.js';
import { LoginLimiter } from './login-limiter.js';
import { PrincipalCache } from './principal-cache.js';
import { Session } from './session.entity.js';
import { SessionService } from './session.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Session]), JwtModule.register({}), OrgModule, ApiKeysModule, TenantsModule],
  controllers: [AuthController],
  providers: [AuthService, SessionService, LoginLimiter, RateLimiterFactory, PrincipalCache, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [SessionService, LoginLimiter, RateLimiterFactory, PrincipalCache],
})
export class AuthModule {}
