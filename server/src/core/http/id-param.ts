import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

/** A path id. Ids are UUIDs, so anything else names nothing: 404, like another tenant's id. */
export const IdParam = (name = 'id') =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('The item') }));
