import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError, type ErrorDetail } from './app-error.js';

interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'too_many_requests',
};

/** Fastify's own errors that reach the filter unmapped: a status and an `FST_` code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
}

const BY_STATUS: Record<number, string> = {
  413: 'The request body is too large',
  415: 'The request body must be JSON (or a multipart upload where a file is expected)',
};

/** The framework's terse messages (Nest maps Fastify's and the upload parser's errors to these), in plain words. */
const PLAIN_MESSAGES: Record<string, string> = {
  'Request body is too large': BY_STATUS[413],
  'Unsupported Media Type': BY_STATUS[415],
  'File too large': 'The file is larger than this server accepts',
  'Unexpected field': 'Send the file in the form field named "file", one file per request',
};

/** Maps anything thrown to `{ code, message, details? }`; never sends a stack trace. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { code: error.code, message: error.message };
    if (error.details?.length) body.details = error.details;
    return { status: error.status, body };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'object' && response !== null && 'message' in response
      ? String((response as { message: unknown }).message)
      : error.message;
    return { status, body: { code: HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), message: PLAIN_MESSAGES[message] ?? message } };
  }
  const framework = error as FrameworkError | null;
  const status = framework?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && framework?.code?.startsWith('FST_')) {
    return { status, body: { code: HTTP_CODES[status] ?? 'bad_request', message: BY_STATUS[status] ?? 'The request could not be read' } };
  }
  return { status: 500, body: { code: 'internal_error', message: 'Something went wrong on the server' } };
}

const logger = new Logger('Errors');

/**
 * Answers with `{ code, message, details? }` for anything thrown: from a handler (the filter below) or from Fastify
 * before any hook ran (an undecodable URL), so without helmet's headers unless they were set already.
 */
export function sendError(reply: FastifyReply, error: unknown): void {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) logger.error(error instanceof Error ? error.stack ?? error.message : String(error));
  if (reply.sent || reply.raw.headersSent) return;
  // A handler may have set a file's headers before failing (a download whose file went missing).
  reply.removeHeader('content-disposition');
  void reply.status(status).header('x-content-type-options', 'nosniff').type('application/json; charset=utf-8').send(body);
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<FastifyReply>(), error);
  }
}
