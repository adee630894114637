import { ACTIONS, PRINCIPAL_TYPES, type Action, type ResourceRef } from '@weaver/governance';
import type { SchemaJson } from './cedar';

export const NAMESPACE = 'Weaver';
export type ResourceType = ResourceRef['type'];
export const RESOURCE_TYPES: readonly ResourceType[] = ['Run', 'Result', 'Model', 'Tool', 'Memory', 'Workflow', 'Tenant', 'ApiKey', 'Policy', 'AuditLog', 'DeadLetter'];

/**
 * Which resource types each action applies to. A Record over `Action`, so an action added to
 * ACTIONS does not compile until it is placed here: the schema's action list IS ACTIONS.
 */
export const ACTION_RESOURCES: Record<Action, readonly ResourceType[]> = {
  'run.start': ['Run'],
  'run.read': ['Run'],
  'run.list': ['Run'],
  'run.cancel': ['Run'],
  'run.retry': ['Run'],
  'result.read': ['Result'],
  'model.call': ['Model'],
  'tool.call': ['Tool'],
  'tool.list': ['Tool'],
  'agent.list': ['Workflow'],
  'memory.read': ['Memory'],
  'memory.write': ['Memory'],
  'dlq.replay': ['DeadLetter'],
  'dlq.read': ['DeadLetter'],
  'dlq.discard': ['DeadLetter'],
  'admin.run.read': ['Run'],
  'admin.tenant.create': ['Tenant'],
  'admin.tenant.read': ['Tenant'],
  'admin.tenant.update': ['Tenant'],
  'admin.tenant.delete': ['Tenant'],
  'admin.key.manage': ['ApiKey'],
  'admin.policy.read': ['Policy'],
  'admin.policy.write': ['Policy'],
  'admin.audit.read': ['AuditLog'],
  'admin.tool-grant.manage': ['Tool'],
  'admin.erasure': ['Tenant'],
  'admin.tenant.list': ['Tenant'],
  'admin.tenant.suspend': ['Tenant'],
  'admin.key.read': ['ApiKey'],
  'admin.budget.write': ['Tenant'],
  'admin.agent.read': ['Workflow'],
  'admin.agent.drain': ['Workflow'],
};

/** Action group every administrative action is in: `action in Weaver::Action::"admin"`. */
export const ADMIN_GROUP = 'admin';
const isAdminAction = (a: Action): boolean => a.startsWith('admin.') || a.startsWith('dlq.');

const str = { type: 'String' } as const;
const strings = { type: 'Set', element: { type: 'String' } } as const;
const long = { type: 'Long' } as const;
const optional = <T extends object>(t: T) => ({ ...t, required: false });

/** Principals: the tenant they act for ("" for platform admins) and their roles. */
const PRINCIPAL_ATTRS = { tenant: str, roles: strings };
/**
 * Resources: owner tenant ("" platform-level), classification as `level` (0 public … 3
 * restricted, so `resource.level >= 2` reads "confidential or above"), `levelName` and
 * `labels` (pii, phi, pci), the workflow and the owner where known ("" otherwise), and `name`
 * (= the entity id, so policies can use `like`).
 */
const RESOURCE_ATTRS = { tenant: str, level: long, levelName: str, labels: strings, workflow: str, owner: str, name: str };

function entityTypes(): Record<string, { shape: { type: 'Record'; attributes: Record<string, object> } }> {
  const record = (attributes: Record<string, object>) => ({ shape: { type: 'Record' as const, attributes } });
  const types: Record<string, { shape: { type: 'Record'; attributes: Record<string, object> } }> = {};
  for (const r of RESOURCE_TYPES) types[r] = record(r === 'Tool' ? { ...RESOURCE_ATTRS, server: str } : RESOURCE_ATTRS);
  for (const p of PRINCIPAL_TYPES) types[p] = record(PRINCIPAL_ATTRS);
  // An API key is a principal and (for admin.key.manage) a resource: one entity type, the
  // resource attributes optional (policies test them with `has`).
  types['ApiKey'] = record({ ...PRINCIPAL_ATTRS, ...Object.fromEntries(Object.entries(RESOURCE_ATTRS).filter(([k]) => k !== 'tenant').map(([k, v]) => [k, optional(v)])) });
  return types;
}

/** Weaver's Cedar schema (JSON form), generated from ACTIONS and PRINCIPAL_TYPES. */
export function weaverSchema(): SchemaJson<string> {
  const actions: Record<string, object> = { [ADMIN_GROUP]: {} };
  for (const a of ACTIONS) {
    actions[a] = {
      appliesTo: { principalTypes: [...PRINCIPAL_TYPES], resourceTypes: [...ACTION_RESOURCES[a]], context: { type: 'Record', attributes: {} } },
      ...(isAdminAction(a) ? { memberOf: [{ id: ADMIN_GROUP }] } : {}),
    };
  }
  return { [NAMESPACE]: { entityTypes: entityTypes(), actions } } as SchemaJson<string>;
}
