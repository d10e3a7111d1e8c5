import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Serves a built single-page app under a path, with its index.html for any unknown page below it
 * (client-side routing). Hashed assets are cached for a year; index.html never.
 */
export function singlePageApp(mount: string, dist: string): express.RequestHandler[] {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    return [(req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
      res.status(503).type('text').send(`This app is not built yet: run "npm run build" (looked in ${dist})`);
    }];
  }
  const serveAssets = express.static(dist, {
    index: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes(`${join(dist, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  // API calls pass straight through: without this every one of them would cost a file-system lookup.
  const assets = (req: Request, res: Response, next: NextFunction) => {
    if (mount === '/' && req.path.startsWith('/api/')) return next();
    return serveAssets(req, res, next);
  };
  const fallback = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (mount === '/' && (req.path.startsWith('/api') || req.path.startsWith('/designer'))) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  return [assets, fallback];
}
