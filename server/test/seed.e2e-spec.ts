import { SeedService } from '../src/modules/seed/seed.service.js';
import { startApp } from './harness.js';

describe('first start', () => {
  it('creates the Demo organisation once, with the owner from the environment', async () => {
    const t = await startApp({ OPSFLOW_SEED_DEMO: 'true', OPSFLOW_ADMIN_EMAIL: 'Boss@Example.com', OPSFLOW_ADMIN_PASSWORD: 'from the environment' });
    try {
      const seed = t.app.get(SeedService);
      expect(await seed.seedOnFirstStart()).toEqual({ created: true, email: 'Boss@Example.com', generatedPassword: undefined });
      expect(await seed.seedOnFirstStart()).toEqual({ created: false });
      const agent = await t.login('boss@example.com', 'from the environment');
      const me = await agent.get('/api/auth/me').expect(200);
      expect(me.body).toMatchObject({ user: { roles: ['owner'], platformAdmin: true }, tenant: { name: 'Demo', slug: 'demo' } });
    } finally {
      await t.close();
    }
  });

  it('generates a password when none is configured, and that password signs in', async () => {
    const t = await startApp({ OPSFLOW_SEED_DEMO: 'true' });
    try {
      const seed = await t.app.get(SeedService).seedOnFirstStart();
      expect(seed).toMatchObject({ created: true, email: 'admin@opsflow.local' });
      expect(seed.generatedPassword).toMatch(/^[\w-]{16}$/);
      await t.login('admin@opsflow.local', seed.generatedPassword!);
    } finally {
      await t.close();
    }
  });
});
