import { levelRank, parseClassification, type Action, type Principal, type ResourceRef } from '@weaver/governance';
import type { EntityJson } from './cedar';
import { NAMESPACE } from './weaver-schema';

/** One authorisation question: who (principal) does what (action) to what (resource). */
export interface DecisionRequest {
  principal: Principal;
  action: Action;
  resource: ResourceRef;
}

export const uidOf = (type: string, id: string) => ({ type: `${NAMESPACE}::${type}`, id });

function resourceAttrs(r: ResourceRef): Record<string, string | number | string[]> {
  const c = parseClassification(r.classification ?? [], 'classification', 'request');
  return {
    tenant: r.tenantId ?? '',
    level: levelRank(c.level),
    levelName: c.level,
    labels: [...c.labels],
    workflow: r.workflow ?? '',
    owner: r.owner ?? '',
    name: r.id,
    ...(r.type === 'Tool' ? { server: r.server ?? r.id.split('/')[0] ?? '' } : {}),
    // ApiKey is also a principal type, whose roles the schema requires (a key as resource has none).
    ...(r.type === 'ApiKey' ? { roles: [] } : {}),
  };
}

/** The request's two entities (one when principal and resource are the same key). */
export function entitiesOf(req: DecisionRequest): EntityJson[] {
  const p: EntityJson = { uid: uidOf(req.principal.type, req.principal.id), attrs: { tenant: req.principal.tenantId ?? '', roles: [...(req.principal.roles ?? [])] }, parents: [] };
  const r: EntityJson = { uid: uidOf(req.resource.type, req.resource.id), attrs: resourceAttrs(req.resource), parents: [] };
  if (req.principal.type === req.resource.type && req.principal.id === req.resource.id) return [{ ...p, attrs: { ...r.attrs, ...p.attrs } }];
  return [p, r];
}

/**
 * The decision cache's key: every input the decision can depend on. The resource id only when
 * some policy of the set reads it (`byResourceId`, see resource-identity.ts); a Tool's server
 * (derived from its id) is always in.
 */
export function decisionKeyOf(tenant: string, version: number, req: DecisionRequest, byResourceId = true): string {
  const { principal: p, resource: r } = req;
  const server = r.type === 'Tool' ? (r.server ?? r.id.split('/')[0] ?? '') : '';
  return JSON.stringify([tenant, version, p.type, p.id, p.tenantId ?? '', p.roles ?? [], req.action, r.type, byResourceId ? r.id : '', r.tenantId ?? '', r.classification ?? [], r.workflow ?? '', r.owner ?? '', server]);
}
