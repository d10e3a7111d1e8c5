import { AppError, type ErrorDetail } from '../../core/errors/app-error.js';

/** Errors of people, departments and groups. */
export class OrgError extends AppError {
  static emailTaken(): OrgError {
    return new OrgError(409, 'email_taken', 'A user with this email already exists in this organisation');
  }

  static lastOwner(): OrgError {
    return new OrgError(409, 'last_owner', 'The organisation needs at least one active owner');
  }

  static selfDeactivation(): OrgError {
    return new OrgError(409, 'cannot_deactivate_self', 'You cannot deactivate your own account');
  }

  static ownerOnly(): OrgError {
    return new OrgError(403, 'owner_only', 'Only an owner can give or take the owner role');
  }

  static invalid(path: string, message: string): OrgError {
    return new OrgError(422, 'validation_failed', message, [{ path, message }]);
  }

  static importFailed(details: ErrorDetail[]): OrgError {
    return new OrgError(422, 'import_failed', `${new Set(details.map((d) => d.path.split('.')[0])).size} row(s) have errors; nothing was imported`, details);
  }

  static departmentNotEmpty(): OrgError {
    return new OrgError(409, 'department_not_empty', 'Move the people and sub-departments out of this department before deleting it');
  }
}
