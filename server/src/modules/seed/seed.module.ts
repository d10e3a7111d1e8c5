import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { SeedService } from './seed.service.js';

@Module({ imports: [TenantsModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
