import { ValidationError } from '@weaver/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT = /^[A-Za-z0-9._:@-]{1,200}$/;

/**
 * Whose data an export or an erasure is about: a whole tenant, or one data subject (a person,
 * by the id the tenant gave its runs, `subjectId`) within a tenant.
 */
export interface Party {
  tenantId: string;
  subjectId?: string;
}

export function checkParty(p: { tenantId?: unknown; subjectId?: unknown }): Party {
  const violations = [];
  if (typeof p.tenantId !== 'string' || !UUID.test(p.tenantId)) violations.push({ field: 'tenantId', rule: 'must be a tenant UUID' });
  if (p.subjectId !== undefined && (typeof p.subjectId !== 'string' || !SUBJECT.test(p.subjectId))) violations.push({ field: 'subjectId', rule: 'must be 1-200 characters of A-Z a-z 0-9 . _ : @ -' });
  if (violations.length) throw new ValidationError(violations, 'party');
  return { tenantId: (p.tenantId as string).toLowerCase(), ...(p.subjectId !== undefined ? { subjectId: p.subjectId as string } : {}) };
}

export const describeParty = (p: Party): string => (p.subjectId ? `subject ${p.subjectId} of tenant ${p.tenantId}` : `tenant ${p.tenantId}`);
