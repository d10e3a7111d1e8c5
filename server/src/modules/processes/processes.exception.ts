import { AppError } from '../../core/errors/app-error.js';

/** Errors of process definitions (process_invalid, process_not_deployed, ...). */
export class ProcessesException extends AppError {}
