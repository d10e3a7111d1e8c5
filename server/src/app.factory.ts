import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module.js';
import { VERSION } from './core/auth/auth.controller.js';
import { SESSION_COOKIE } from './core/auth/session.service.js';
import { AppConfig } from './core/config/app-config.js';
import { AllExceptionsFilter, sendError } from './core/errors/all-exceptions.filter.js';
import { createValidationPipe } from './core/errors/validation.js';
import { emptyBodyParser, jsonBodyParser } from './core/http/json-guard.js';
import { serveSinglePageApp } from './core/http/static-apps.js';
import type { Clock } from './core/jobs/job.types.js';
import { RequestContext } from './core/tenancy/request-context.js';

export interface CreateAppOptions {
  consumeJobs?: boolean;
  serveFrontEnds?: boolean;
  logger?: false | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose'>;
  /** Tests move time themselves (timers, SLAs) instead of sleeping. */
  clock?: Clock;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Opsflow API')
    .setDescription('Forms, BPMN processes and dashboards for operations teams. Errors are `{ code, message, details? }`.')
    .setVersion(VERSION)
    .addCookieAuth(SESSION_COOKIE)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (opk_...) or a session token' })
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/** Builds the HTTP app (not yet listening): hardening, validation, errors, OpenAPI and the two front-ends. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // Node's default, which Fastify turns off: a client trickling a body (an upload) is cut off after 5 minutes.
    requestTimeout: 300_000,
    // `/api/forms/` is `/api/forms`, as clients written against the Express version expect.
    routerOptions: { ignoreTrailingSlash: true },
    // A URL Fastify cannot decode (`/api/users/%zz`) is refused before any hook runs: answered in the API's shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => sendError(reply, error),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, consumeJobs: options.consumeJobs ?? config.jobDriver === 'inline', clock: options.clock }),
    adapter,
    { bodyParser: false, logger: options.logger ?? ['error', 'warn'] },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // JSON is the only body the API reads (uploads are multipart, handled by the upload interceptor).
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBodyParser(config.jsonMaxDepth));
  // A bodiless POST (claim, publish) may name any type, as scripts' HTTP clients do; a body of another type is a 415.
  fastify.addContentTypeParser('*', { parseAs: 'string' }, emptyBodyParser);
  // After the body is read, so that the guard, the pipes and the handler all run inside the request's context.
  fastify.addHook('preHandler', (request, _reply, done) => RequestContext.run({ ip: request.ip, userAgent: request.headers['user-agent'] }, done));
  // Helmet's headers from a middleware built once: @fastify/helmet built it again for every request (0.135 -> 0.094 ms of CPU for GET /api/public/settings).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'blob:'], 'worker-src': ["'self'", 'blob:'],
        // Plain-HTTP installs on an intranet address would otherwise have every asset rewritten to https.
        'upgrade-insecure-requests': config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  await app.register(cookie);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });

  if (options.serveFrontEnds ?? true) {
    await app.register(fastifyStatic, { root: config.webDist, serve: false });
    serveSinglePageApp(fastify, '/designer', config.designerDist);
    serveSinglePageApp(fastify, '/', config.webDist);
  }
  await app.init();
  await fastify.ready();
  return app;
}
