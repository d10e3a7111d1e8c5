import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The file under `dist` a request path names, or null (missing, a folder, or outside `dist`). */
function assetOf(dist: string, path: string): string | null {
  // A NUL byte (`/x%00`) is no file name: the app's page, not a failing stat.
  if (!path || path.includes('\0')) return null;
  const full = resolve(dist, path);
  if (!full.startsWith(dist + sep)) return null;
  return statSync(full, { throwIfNoEntry: false })?.isFile() ? full.slice(dist.length + 1) : null;
}

/**
 * Serves a built single-page app under `mount` (`/` or `/designer`), with its index.html for any
 * unknown page below it (client-side routing). Hashed assets are cached for a year; the rest never.
 * Needs `@fastify/static` registered (it provides `reply.sendFile`). Unknown `/api` paths stay 404s.
 */
export function serveSinglePageApp(fastify: FastifyInstance, mount: '/' | '/designer', appDist: string): void {
  const dist = resolve(appDist);
  const built = existsSync(join(dist, 'index.html'));
  const handler = (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.params as { '*'?: string })['*'] ?? '';
    if (mount === '/' && (path === 'api' || path.startsWith('api/'))) return reply.callNotFound();
    if (!built) return reply.status(503).type('text/plain; charset=utf-8').send(`This app is not built yet: run "npm run build" (looked in ${dist})`);
    const asset = assetOf(dist, path);
    reply.header('cache-control', asset?.startsWith(`assets${sep}`) ? IMMUTABLE : 'no-cache');
    return reply.sendFile(asset ?? 'index.html', dist, { cacheControl: false });
  };
  if (mount !== '/') fastify.get(mount, handler);
  fastify.get(mount === '/' ? '/*' : `${mount}/*`, handler);
}
