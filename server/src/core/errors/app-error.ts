export interface ErrorDetail {
  path: string;
  message: string;
  /** A machine-readable reason, where one path can fail for several (deploy problems). */
  code?: string;
}

/**
 * The one error type Opsflow throws on purpose. Each module subclasses it with its own codes;
 * the global filter turns it into `{ code, message, details? }` with `status`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }

  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', `${what} was not found`);
  }

  static validation(details: ErrorDetail[], message = 'Some fields are not valid'): AppError {
    return new AppError(422, 'validation_failed', message, details);
  }

  static forbidden(message = 'You are not allowed to do this'): AppError {
    return new AppError(403, 'forbidden', message);
  }

  static unauthenticated(message = 'Please sign in'): AppError {
    return new AppError(401, 'unauthenticated', message);
  }

  static conflict(code: string, message: string): AppError {
    return new AppError(409, code, message);
  }
}
