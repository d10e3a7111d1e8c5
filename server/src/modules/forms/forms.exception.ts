import { AppError } from '../../core/errors/app-error.js';

/** Errors of form definitions: invalid_form, unsafe_pattern, unknown_scope, not_published, publish_conflict. */
export class FormsError extends AppError {}
