import { BadRequestException, NotFoundException } from '@nestjs/common';
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

  it('maps body-parser errors to 413 and 400', () => {
    expect(toErrorResponse(Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large', expose: true })).status).toBe(413);
    expect(toErrorResponse(Object.assign(new Error('bad'), { status: 400, type: 'entity.parse.failed', expose: true })).body.code).toBe('invalid_json');
  });
});
