/**
 * The role → action table of the admin API (docs/security.md "Admin roles") as test cases: each
 * operation on the caller's OWN tenant, the status each role's key gets. The admin token gets
 * the success status on every one (and on any tenant). `tenant` is filled in by the spec.
 */
export type Role = 'admin' | 'operator' | 'runner' | 'reader';

export interface RoleCase {
  name: string;
  method: string;
  path: (tenantId: string) => string;
  body?: unknown;
  ok: number;
  /** The roles whose key may; every other role gets 403. */
  allowed: readonly Role[];
}

const t = (tenantId: string) => `/v1/admin/tenants/${tenantId}`;

export const ROLE_CASES: readonly RoleCase[] = [
  { name: 'get its tenant', method: 'GET', path: t, ok: 200, allowed: ['admin', 'operator'] },
  { name: 'list its keys', method: 'GET', path: (id) => `${t(id)}/api-keys`, ok: 200, allowed: ['admin', 'operator'] },
  { name: 'create a key', method: 'POST', path: (id) => `${t(id)}/api-keys`, body: { name: 'made-by-role', roles: ['reader'] }, ok: 201, allowed: ['admin'] },
  { name: 'read its budget', method: 'GET', path: (id) => `${t(id)}/budget`, ok: 200, allowed: ['admin', 'operator'] },
  { name: 'set its budget', method: 'PUT', path: (id) => `${t(id)}/budget`, body: { limitUsd: 50 }, ok: 200, allowed: ['admin', 'operator'] },
  { name: 'read its usage', method: 'GET', path: (id) => `${t(id)}/usage`, ok: 200, allowed: ['admin', 'operator'] },
  { name: 'read its quotas', method: 'GET', path: (id) => `${t(id)}/quotas`, ok: 200, allowed: ['admin', 'operator'] },
  { name: 'list agents with instances', method: 'GET', path: () => '/v1/admin/agents', ok: 200, allowed: ['admin', 'operator'] },
  // Platform only: no key, whatever its roles.
  { name: 'set its quotas', method: 'PUT', path: (id) => `${t(id)}/quotas`, body: { concurrent_runs: 99 }, ok: 200, allowed: [] },
  { name: 'list tenants', method: 'GET', path: () => '/v1/admin/tenants', ok: 200, allowed: [] },
  { name: 'create a tenant', method: 'POST', path: () => '/v1/admin/tenants', body: { name: 'by-a-key' }, ok: 201, allowed: [] },
  { name: 'drain an instance', method: 'POST', path: () => '/v1/admin/instances/roles-instance/drain', ok: 200, allowed: [] },
];

/** Suspending/deleting one's own tenant: refused for every key (checked without running the success path). */
export const PLATFORM_TENANT_CHANGES = [
  { method: 'POST', path: (id: string) => `${t(id)}/suspend` },
  { method: 'POST', path: (id: string) => `${t(id)}/resume` },
  { method: 'DELETE', path: (id: string) => t(id) },
] as const;
