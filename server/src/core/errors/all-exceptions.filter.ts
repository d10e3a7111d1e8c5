import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
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

/** Body-parser errors are plain errors with a status and a type. */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

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
    return { status, body: { code: HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), message } };
  }
  const parserError = error as BodyParserError;
  const parserStatus = parserError?.status ?? parserError?.statusCode;
  if (parserError && typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500 && parserError.expose !== false) {
    if (parserError.type === 'entity.too.large') {
      return { status: 413, body: { code: 'payload_too_large', message: 'The request body is too large' } };
    }
    if (parserError.type === 'entity.parse.failed') {
      return { status: 400, body: { code: 'invalid_json', message: 'The request body is not valid JSON' } };
    }
    return { status: parserStatus, body: { code: HTTP_CODES[parserStatus] ?? 'bad_request', message: 'The request could not be read' } };
  }
  return { status: 500, body: { code: 'internal_error', message: 'Something went wrong on the server' } };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) this.logger.error(error instanceof Error ? error.stack ?? error.message : String(error));
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.status(status).json(body);
  }
}
