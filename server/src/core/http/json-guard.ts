import type { FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Walks a parsed JSON body without recursion and returns why it is refused, or null.
 * Deep nesting is refused because later code (validation, FEEL, rendering) recurses; NUL characters
 * because PostgreSQL cannot store them in text or JSONB, and SQLite would accept them: both refuse alike.
 */
export function inspectJson(value: unknown, maxDepth: number): AppError | null {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: value, depth: 1, path: '' }];
  while (stack.length) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node === 'string' && node.includes('\u0000')) {
      return new AppError(422, 'invalid_character', 'Text may not contain the NUL character (\\u0000)', [{ path, message: 'contains a NUL character' }]);
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) {
      return new AppError(422, 'json_too_deep', `The request body is nested deeper than ${maxDepth} levels`, [{ path, message: 'too deep' }]);
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key) || key.includes('\u0000')) {
        const at = path ? `${path}.${key}` : key;
        return new AppError(422, 'forbidden_key', `The key "${key}" is not allowed`, [{ path: at, message: 'forbidden key' }]);
      }
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && (typeof child === 'object' || typeof child === 'string')) stack.push({ node: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
  return null;
}

/**
 * The API's one body parser: JSON, then `inspectJson`. An empty body is `{}`: clients send
 * `content-type: application/json` with bodiless POSTs (`/publish`, `/claim`).
 */
export function jsonBodyParser(maxDepth: number) {
  return (_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void => {
    if (body === '') return done(null, {});
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return done(new AppError(400, 'invalid_json', 'The request body is not valid JSON'));
    }
    done(inspectJson(value, maxDepth), value);
  };
}

/** Any other content type: an empty body is `{}`, anything else is refused (415), as JSON is all the API reads. */
export function emptyBodyParser(_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  if (body === '') return done(null, {});
  done(new UnsupportedMediaTypeException('Unsupported Media Type'));
}
