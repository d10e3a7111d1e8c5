import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../core/config/app-config.js';
import { TenantsService } from '../tenants/tenants.service.js';

export interface SeedResult {
  created: boolean;
  email?: string;
  /** Set only when the password was generated, so it can be printed once. */
  generatedPassword?: string;
}

/** First start: a demo tenant with an owner from OPSFLOW_ADMIN_EMAIL / OPSFLOW_ADMIN_PASSWORD (generated when unset). */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(private readonly tenants: TenantsService, private readonly config: AppConfig) {}

  async seedOnFirstStart(): Promise<SeedResult> {
    if (!this.config.seedDemo || (await this.tenants.count()) > 0) return { created: false };
    const email = this.config.adminEmail ?? 'admin@opsflow.local';
    const generatedPassword = this.config.adminPassword ? undefined : randomBytes(12).toString('base64url');
    await this.tenants.create({
      name: 'Demo', ownerEmail: email, ownerPassword: this.config.adminPassword ?? generatedPassword!, ownerName: 'Admin', platformAdmin: true,
    });
    this.logger.log(`Created the Demo tenant with the owner ${email}`);
    return { created: true, email, generatedPassword };
  }
}
