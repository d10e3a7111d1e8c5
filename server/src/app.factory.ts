import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module.js';
import { VERSION } from './core/auth/auth.controller.js';
import { SESSION_COOKIE } from './core/auth/session.service.js';
import { AppConfig } from './core/config/app-config.js';
import { AllExceptionsFilter, toErrorResponse } from './core/errors/all-exceptions.filter.js';
import { createValidationPipe } from './core/errors/validation.js';
import { jsonGuard } from './core/http/json-guard.js';
import type { Clock } from './core/jobs/job.types.js';
import { singlePageApp } from './core/http/static-apps.js';
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
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, consumeJobs: options.consumeJobs ?? config.jobDriver === 'inline', clock: options.clock }),
    { bodyParser: false, logger: options.logger ?? ['error', 'warn'] },
  );
  app.set('trust proxy', config.trustProxy === 'true' ? true : config.trustProxy);
  app.set('query parser', 'simple');
  app.use((req: Request, _res: Response, next: NextFunction) =>
    RequestContext.run({ ip: req.ip, userAgent: req.get('user-agent') }, () => next()));
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'blob:'], 'worker-src': ["'self'", 'blob:'],
        // Plain-HTTP installs on an intranet address would otherwise have every asset rewritten to https.
        'upgrade-insecure-requests': config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  }));
  app.use(cookieParser());
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.use(jsonGuard(config.jsonMaxDepth));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });

  if (options.serveFrontEnds ?? true) {
    app.use('/designer', ...singlePageApp('/designer', config.designerDist));
    app.use('/', ...singlePageApp('/', config.webDist));
  }
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = toErrorResponse(error);
    res.status(status).json(body);
  });
  await app.init();
  return app;
}
