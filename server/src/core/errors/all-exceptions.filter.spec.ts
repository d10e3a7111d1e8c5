import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { toErrorResponse } from './all-exceptions.filter.js';
import { AppError } from './app-error.js';

describe('toErrorResponse', () => {
  it('keeps an AppError\'s code, message and details', () => {
    expect(toErrorResponse(AppError.validation([{ path: 'email', message: 'bad' }]))).toEqual({
      status: 422, body: { code: 'validation_failed', message: 'Some fields are not valid', details: [{ path: 'email', message: 'bad' }] },
    });
  });

  it('gives Nest\'s own exceptions a code', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /api/x'))).toEqual({ status: 404, body: { code: 'not_found', message: 'Cannot GET /api/x' } });
    expect(toErrorResponse(new BadRequestException()).body.code).toBe('bad_request');
  });

  it('never shows an unexpected error\'s message or stack', () => {
    const { status, body } = toErrorResponse(new Error('SQLITE_CORRUPT at /srv/opsflow/data'));
    expect(status).toBe(500);
    expect(body).toEqual({ code: 'internal_error', message: 'Something went wrong on the server' });
  });

  it('puts the framework\'s terse messages in plain words', () => {
    expect(toErrorResponse(new PayloadTooLargeException('Request body is too large'))).toEqual({ status: 413, body: { code: 'payload_too_large', message: 'The request body is too large' } });
    expect(toErrorResponse(new PayloadTooLargeException('File too large')).body.message).toBe('The file is larger than this server accepts');
  });

  it('maps Fastify\'s own errors by status, without their text', () => {
    const unsupported = Object.assign(new Error('Unsupported Media Type: text/plain'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(toErrorResponse(unsupported)).toEqual({ status: 415, body: { code: 'unsupported_media_type', message: 'The request body must be JSON (or a multipart upload where a file is expected)' } });
    expect(toErrorResponse(Object.assign(new Error('x'), { statusCode: 400, code: 'FST_ERR_SOMETHING' })).body).toEqual({ code: 'bad_request', message: 'The request could not be read' });
    expect(toErrorResponse(Object.assign(new Error('x'), { statusCode: 400, code: 'EOTHER' })).status).toBe(500);
  });
});
