import { ValidationError, type FieldViolation } from '@weaver/errors';
import { classificationViolations, isAction, PRINCIPAL_TYPES, type Principal, type PrincipalType, type ResourceRef } from '@weaver/governance';
import { RESOURCE_TYPES, type DecisionRequest } from '@weaver/policy';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * The request a `policies:explain` call asks about, in the tenant of the route:
 * `{"principal": {"type": "ApiKey", "id": "…", "roles": ["runner"]}, "action": "result.read",
 *   "resource": {"type": "Result", "id": "…", "classification": ["confidential"], "workflow": "…"}}`.
 */
export function explainRequestOf(tenantId: string, body: unknown): DecisionRequest {
  const b = isRecord(body) ? body : {};
  const p = isRecord(b['principal']) ? b['principal'] : {};
  const r = isRecord(b['resource']) ? b['resource'] : {};
  const violations: FieldViolation[] = [];
  if (!(PRINCIPAL_TYPES as readonly unknown[]).includes(p['type'])) violations.push({ field: 'principal.type', rule: `must be one of ${PRINCIPAL_TYPES.join(', ')}` });
  if (!str(p['id'])) violations.push({ field: 'principal.id', rule: 'must be a non-empty string' });
  const roles = p['roles'] ?? [];
  if (!Array.isArray(roles) || !roles.every((x) => typeof x === 'string')) violations.push({ field: 'principal.roles', rule: 'must be an array of strings' });
  const action = b['action'];
  if (typeof action !== 'string' || !isAction(action)) violations.push({ field: 'action', rule: 'must be one of the actions of docs/policies.md (e.g. "result.read")' });
  if (!(RESOURCE_TYPES as readonly unknown[]).includes(r['type'])) violations.push({ field: 'resource.type', rule: `must be one of ${RESOURCE_TYPES.join(', ')}` });
  violations.push(...classificationViolations(r['classification'], 'resource.classification'));
  if (violations.length || typeof action !== 'string' || !isAction(action)) throw new ValidationError(violations, 'explain request');
  const principal: Principal = { type: p['type'] as PrincipalType, id: String(p['id']), tenantId: p['type'] === 'Admin' ? undefined : tenantId, roles: roles as string[] };
  const resource: ResourceRef = {
    type: r['type'] as ResourceRef['type'],
    id: str(r['id']) ?? '*',
    tenantId,
    classification: r['classification'] as string[] | undefined,
    workflow: str(r['workflow']),
    owner: str(r['owner']),
    server: str(r['server']),
  };
  return { principal, action, resource };
}
