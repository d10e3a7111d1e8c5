import { AppError } from '../../core/errors/app-error.js';

/** Errors of process execution (codes such as task_not_open, message_not_correlated, instance_ended). */
export class EngineException extends AppError {}
