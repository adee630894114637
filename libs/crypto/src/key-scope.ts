import { ValidationError } from '@weaver/errors';

/**
 * Whose data a key protects: a tenant, or one data subject within a tenant. Subject keys exist
 * so that erasing one person (issue 8 item 7) is destroying one key, not rewriting rows.
 */
export interface KeyScope {
  readonly tenantId: string;
  /** A data-subject id within the tenant (runs' subjectId: 1-200 chars); absent for tenant-wide data. */
  readonly subject?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT = /^[A-Za-z0-9._:@-]{1,200}$/;

export function checkScope(scope: KeyScope): KeyScope {
  if (typeof scope.tenantId !== 'string' || !UUID.test(scope.tenantId)) throw new ValidationError([{ field: 'keyScope.tenantId', rule: 'must be a UUID' }], 'key scope');
  if (scope.subject !== undefined && (typeof scope.subject !== 'string' || !SUBJECT.test(scope.subject))) {
    throw new ValidationError([{ field: 'keyScope.subject', rule: 'must be 1-200 characters of A-Z a-z 0-9 . _ : @ -' }], 'key scope');
  }
  return scope.subject === undefined ? { tenantId: scope.tenantId.toLowerCase() } : { tenantId: scope.tenantId.toLowerCase(), subject: scope.subject };
}

/** A stable string for maps and logs ("<tenant>" or "<tenant>/<subject>"); holds no secret. */
export const scopeKey = (scope: KeyScope): string => (scope.subject === undefined ? scope.tenantId : `${scope.tenantId}/${scope.subject}`);
