import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import * as s from './admin-schemas';

/** The admin shapes as one namespace, so other areas' names never collide with them. */
export * as adminSchemas from './admin-schemas';

const ADMIN = ['admin'] as const;
const OPERATOR = ['admin', 'operator'] as const;
/** Only the platform admin token: tenants' lives, quotas, shared agent instances. */
const PLATFORM: readonly string[] = [];
const tags = (t: string) => [t] as const;
const platformNote = 'Platform admin only (the admin token): no tenant key may, whatever its roles.';

/**
 * The admin API (issue 12 item 2, first half): tenants, API keys with roles, budgets, agents and
 * instances. Each route's `roles` is what gateway-access.table.ts + the baseline policies decide
 * (docs/security.md "Admin roles"); the admin token may call every one, on any tenant.
 * The gRPC AdminService (proto/weaver/gateway/v1/admin.proto) has the same operations.
 */
export const ADMIN_ROUTES = {
  createTenant: defineRoute({
    operationId: 'adminCreateTenant', method: 'POST', path: '/v1/admin/tenants', summary: 'Create a tenant and its first API key (role runner, shown once)',
    description: platformNote, tags: tags('Tenants'), auth: 'admin', roles: PLATFORM, body: s.createTenantBody, status: 201, response: json(s.createTenantResponse),
  }),
  listTenants: defineRoute({
    operationId: 'listTenants', method: 'GET', path: '/v1/admin/tenants', summary: 'List tenants, oldest first, a page at a time',
    description: `${platformNote} Pass \`nextCursor\` as \`cursor\` for the next page; it is null on the last.`, tags: tags('Tenants'), auth: 'admin', roles: PLATFORM, query: s.listTenantsQuery, status: 200, response: json(s.tenantPage),
  }),
  getTenant: defineRoute({
    operationId: 'getTenant', method: 'GET', path: '/v1/admin/tenants/{tenantId}', summary: 'Get a tenant',
    tags: tags('Tenants'), auth: 'admin', roles: OPERATOR, params: s.tenantParams, status: 200, response: json(s.tenantResponse), errors: [404],
  }),
  suspendTenant: defineRoute({
    operationId: 'suspendTenant', method: 'POST', path: '/v1/admin/tenants/{tenantId}/suspend', summary: "Suspend a tenant: its API keys are refused (403) until it is resumed",
    description: `${platformNote} Idempotent (\`changed: false\` on a repeat). Other gateway replicas apply it within API_KEY_CACHE_TTL_MS.`, tags: tags('Tenants'), auth: 'admin', roles: PLATFORM, params: s.tenantParams, status: 200, response: json(s.tenantChangeResponse), errors: [404, 412],
  }),
  resumeTenant: defineRoute({
    operationId: 'resumeTenant', method: 'POST', path: '/v1/admin/tenants/{tenantId}/resume', summary: 'Resume a suspended tenant',
    description: `${platformNote} A deleting tenant cannot be resumed (412).`, tags: tags('Tenants'), auth: 'admin', roles: PLATFORM, params: s.tenantParams, status: 200, response: json(s.tenantChangeResponse), errors: [404, 412],
  }),
  deleteTenant: defineRoute({
    operationId: 'deleteTenant', method: 'DELETE', path: '/v1/admin/tenants/{tenantId}', summary: "Delete a tenant: its keys are refused at once and its data erased by the erasure step",
    description: `${platformNote} Records an erasure request; \`tools/privacy erase-requested\` (owner role, run on a schedule) erases the tenant as \`tools/privacy erase\` does (rows, result objects, cached answers, data keys shredded) and records when. Idempotent: repeating it answers the same request, after the erasure with state \`erased\`.`,
    tags: tags('Tenants'), auth: 'admin', roles: PLATFORM, params: s.tenantParams, status: 202, response: json(s.tenantDeletion), errors: [404],
  }),
  createApiKey: defineRoute({
    operationId: 'createApiKey', method: 'POST', path: '/v1/admin/tenants/{tenantId}/api-keys', summary: 'Create an API key with roles (the key is shown once)',
    tags: tags('API keys'), auth: 'admin', roles: ADMIN, params: s.tenantParams, body: s.createApiKeyBody, status: 201, response: json(s.issuedKeyResponse), errors: [404],
  }),
  listApiKeys: defineRoute({
    operationId: 'listApiKeys', method: 'GET', path: '/v1/admin/tenants/{tenantId}/api-keys', summary: "List a tenant's API keys (never their secrets), newest first",
    tags: tags('API keys'), auth: 'admin', roles: OPERATOR, params: s.tenantParams, query: s.listApiKeysQuery, status: 200, response: json(s.apiKeyList),
  }),
  revokeApiKey: defineRoute({
    operationId: 'revokeApiKey', method: 'DELETE', path: '/v1/admin/tenants/{tenantId}/api-keys/{keyId}', summary: 'Revoke an API key at once (idempotent; cuts a grace period short)',
    tags: tags('API keys'), auth: 'admin', roles: ADMIN, params: s.apiKeyParams, status: 200, response: json(s.apiKeyResponse), errors: [404],
  }),
  rotateApiKey: defineRoute({
    operationId: 'rotateApiKey', method: 'POST', path: '/v1/admin/tenants/{tenantId}/api-keys/{keyId}/rotate', summary: "Rotate an API key: a new key with the old one's name and roles; the old one revoked now or after gracePeriodSeconds",
    description: 'Only a key not yet revoked or rotated can be rotated (412 otherwise), so a retried rotation never mints a second key.',
    tags: tags('API keys'), auth: 'admin', roles: ADMIN, params: s.apiKeyParams, body: s.rotateApiKeyBody, status: 201, response: json(s.rotatedKeyResponse), errors: [404, 412],
  }),
  getBudget: defineRoute({
    operationId: 'getBudget', method: 'GET', path: '/v1/admin/tenants/{tenantId}/budget', summary: "The router's USD budget of the tenant now (null: none of its own)",
    tags: tags('Budgets'), auth: 'admin', roles: OPERATOR, params: s.tenantParams, status: 200, response: json(s.budgetResponse),
  }),
  setBudget: defineRoute({
    operationId: 'setBudget', method: 'PUT', path: '/v1/admin/tenants/{tenantId}/budget', summary: 'Set the USD budget the router enforces; resetSpent starts a new period',
    tags: tags('Budgets'), auth: 'admin', roles: OPERATOR, params: s.tenantParams, body: s.setBudgetBody, status: 200, response: json(s.budgetResponse),
  }),
  listAgentInstances: defineRoute({
    operationId: 'listAgentInstances', method: 'GET', path: '/v1/admin/agents', summary: 'Registered agents with their instances and health',
    tags: tags('Agents'), auth: 'admin', roles: OPERATOR, query: s.agentsQuery, status: 200, response: json(s.agentList),
  }),
  drainInstance: defineRoute({
    operationId: 'drainInstance', method: 'POST', path: '/v1/admin/instances/{instanceId}/drain', summary: 'Drain an agent instance: it finishes in-flight work, takes no more and exits',
    description: `${platformNote} Instances are shared by every tenant of the standard tier.`, tags: tags('Agents'), auth: 'admin', roles: PLATFORM, params: s.instanceParams, status: 200, response: json(s.instanceResponse), errors: [404],
  }),
} satisfies Record<string, ApiRoute>;

export const ADMIN_API_ROUTES: readonly ApiRoute[] = Object.values(ADMIN_ROUTES);
export type AdminRouteName = keyof typeof ADMIN_ROUTES;
/** What a caller sends as a route's body (before defaults). */
export type AdminBody<N extends AdminRouteName> = (typeof ADMIN_ROUTES)[N] extends { body: infer B extends z.ZodType } ? z.input<B> : never;
