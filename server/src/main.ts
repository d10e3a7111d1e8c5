import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { AppConfig, ConfigError } from './core/config/app-config.js';
import { SeedService } from './modules/seed/seed.service.js';

async function main(): Promise<void> {
  const config = new AppConfig();
  const app = await createApp(config);
  const seed = await app.get(SeedService).seedOnFirstStart();
  await app.listen(config.port, config.host);
  const log = (line: string) => console.log(`[opsflow] ${line}`);
  log(`Opsflow is running at ${config.publicUrl}/ (designer ${config.publicUrl}/designer/, API docs ${config.publicUrl}/api/docs)`);
  log(`Database: ${config.databaseKind}${config.databaseKind === 'sqlite' ? ` (${config.sqlitePath})` : ''}; jobs: ${config.jobDriver}`);
  if (seed.created) {
    const password = seed.generatedPassword ?? '(the value of OPSFLOW_ADMIN_PASSWORD)';
    log(`First start: sign in as ${seed.email} with password ${password}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
