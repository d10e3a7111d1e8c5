import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, openApiDocument } from '../app.factory.js';
import { AppConfig } from '../core/config/app-config.js';

/** Writes the OpenAPI document the controllers describe; the SDK's client is generated from it. */
const out = process.argv[2] ?? 'openapi.json';
const dataDir = mkdtempSync(join(tmpdir(), 'opsflow-openapi-'));
const app = await createApp(new AppConfig({ DATA_DIR: dataDir, OPSFLOW_SEED_DEMO: 'false' }), { serveFrontEnds: false, logger: false });
writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
await app.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(`Wrote ${out}`);
