import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { IsoTime, Uuid } from '../schemas/common';

/** Mirrors @weaver/pii PII_TYPES and PII_ACTIONS (a gateway spec checks they agree). */
export const PII_TYPES = ['email', 'phone', 'credit_card', 'iban', 'ip_address', 'national_id', 'person', 'address', 'organisation'] as const;
export const PII_ACTIONS = ['allow', 'mask', 'tokenise', 'refuse'] as const;

const ACTION_RULE = `must be one of ${PII_ACTIONS.join(', ')}`;
const Action = z.enum(PII_ACTIONS, { error: ACTION_RULE });
/** What a tenant writes: an action per type, `default` for the types it does not name (itself `mask`). */
const PiiPolicyInput = z.partialRecord(z.enum(['default', ...PII_TYPES]), Action, {
  error: (iss) => ((iss.code as string) === 'unrecognized_keys' ? `unknown entity type; expected one of default, ${PII_TYPES.join(', ')}` : 'must be an object of entity type → action'),
});

const PiiPolicyView = z.object({
  tenantId: Uuid,
  policy: z.record(z.string(), z.string()).describe('the action applied to every type'),
  stored: z.record(z.string(), z.string()).nullable().describe('what the tenant wrote (null: none; the installation\'s applies)'),
  source: z.enum(['tenant', 'installation']),
  version: z.number().int(),
  updatedAt: IsoTime.nullable(),
});
const params = z.object({ tenantId: Uuid });

export const getPiiPolicy = defineRoute({
  operationId: 'getPiiPolicy',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/pii-policy',
  summary: 'The PII policy the router applies to the tenant\'s model calls',
  description: 'docs/pii.md "Policies per tenant in the router".',
  tags: ['pii'],
  auth: 'admin',
  roles: ['admin'],
  params,
  status: 200,
  response: json(PiiPolicyView),
});

export const setPiiPolicy = defineRoute({
  operationId: 'setPiiPolicy',
  method: 'PUT',
  path: '/v1/admin/tenants/{tenantId}/pii-policy',
  summary: 'Set the tenant\'s PII policy',
  description: 'Applied at once by the router replica that took it, by others within ROUTER_PII_POLICY_CACHE_TTL_MS. 412 when `expectedVersion` is stale.',
  tags: ['pii'],
  auth: 'admin',
  roles: ['admin'],
  params,
  body: z.object({
    policy: PiiPolicyInput,
    expectedVersion: z.number({ error: 'must be an integer >= 0 (0: the tenant has no policy yet)' }).int('must be an integer >= 0 (0: the tenant has no policy yet)').min(0, 'must be an integer >= 0 (0: the tenant has no policy yet)').nullable().optional(),
  }),
  status: 200,
  response: json(PiiPolicyView),
  errors: [412],
});

export const PII_POLICY_ROUTES: readonly ApiRoute[] = [getPiiPolicy, setPiiPolicy];
