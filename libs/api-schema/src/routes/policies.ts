import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { IsoTime, Uuid } from '../schemas/common';

/** Mirrors @weaver/governance PRINCIPAL_TYPES and @weaver/policy RESOURCE_TYPES (a gateway spec checks they agree). */
export const PRINCIPAL_TYPES = ['ApiKey', 'User', 'Service', 'Agent', 'Admin'] as const;
export const RESOURCE_TYPES = ['Run', 'Result', 'Model', 'Tool', 'Memory', 'Workflow', 'Tenant', 'ApiKey', 'Policy', 'AuditLog', 'DeadLetter'] as const;

const TEXT_RULE = 'must be Cedar policy text (docs/policies.md)';
const PolicyText = z.string({ error: TEXT_RULE }).refine((t) => t.trim().length > 0, TEXT_RULE);
const TenantParams = z.object({ tenantId: Uuid });
const PolicyParams = z.object({ tenantId: Uuid, id: z.string().min(1).describe('the policy id, chosen by the caller') });
export const Policy = z.object({ id: z.string(), text: z.string(), description: z.string(), updatedAt: IsoTime });
const Changed = z.object({ id: z.string(), version: z.number().int().describe('the tenant\'s policy set version after the change') });
const common = { tags: ['policies'], auth: 'admin', roles: ['admin'] } as const;

export const putPolicy = defineRoute({
  ...common,
  operationId: 'putPolicy',
  method: 'PUT',
  path: '/v1/admin/tenants/{tenantId}/policies/{id}',
  summary: 'Create or replace an access policy (Cedar)',
  description: '400 with `text:<line>:<column>` violations carrying Cedar\'s message. Applies at once on this replica, within POLICY_CACHE_TTL_MS on others.',
  params: PolicyParams,
  body: z.object({ text: PolicyText, description: z.string().default('') }),
  status: 200,
  response: json(Changed),
});

export const listPolicies = defineRoute({
  ...common,
  operationId: 'listPolicies',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/policies',
  summary: 'The tenant\'s access policies',
  params: TenantParams,
  status: 200,
  response: json(z.object({ version: z.number().int(), policies: z.array(Policy) })),
});

export const getPolicy = defineRoute({
  ...common,
  operationId: 'getPolicy',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/policies/{id}',
  summary: 'One access policy',
  params: PolicyParams,
  status: 200,
  response: json(z.object({ policy: Policy })),
  errors: [404],
});

export const deletePolicy = defineRoute({
  ...common,
  operationId: 'deletePolicy',
  method: 'DELETE',
  path: '/v1/admin/tenants/{tenantId}/policies/{id}',
  summary: 'Delete an access policy',
  params: PolicyParams,
  status: 200,
  response: json(Changed),
  errors: [404],
});

export const validatePolicy = defineRoute({
  ...common,
  operationId: 'validatePolicy',
  method: 'POST',
  path: '/v1/admin/tenants/{tenantId}/policies:validate',
  summary: 'Validate Cedar text against Weaver\'s schema (nothing stored)',
  params: TenantParams,
  body: z.object({ text: PolicyText }),
  status: 200,
  response: json(z.object({ valid: z.literal(true) })),
});

export const explainPolicy = defineRoute({
  ...common,
  operationId: 'explainPolicy',
  method: 'POST',
  path: '/v1/admin/tenants/{tenantId}/policies:explain',
  summary: 'What the policy engine decides for a request, and which policies decided',
  params: TenantParams,
  body: z.object({
    principal: z.object({
      type: z.enum(PRINCIPAL_TYPES, { error: `must be one of ${PRINCIPAL_TYPES.join(', ')}` }),
      id: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
      roles: z.array(z.string(), { error: 'must be an array of strings' }).optional(),
    }),
    action: z.string({ error: 'must be one of the actions of docs/policies.md (e.g. "result.read")' }).describe('an action of docs/policies.md, e.g. "result.read"'),
    resource: z.object({
      type: z.enum(RESOURCE_TYPES, { error: `must be one of ${RESOURCE_TYPES.join(', ')}` }),
      id: z.string().optional(),
      classification: z.array(z.string()).optional(),
      workflow: z.string().optional(),
      owner: z.string().optional(),
      server: z.string().optional(),
    }),
  }),
  status: 200,
  response: json(
    z.object({
      decision: z.enum(['allow', 'deny']),
      version: z.number().int(),
      policies: z.array(z.object({ id: z.string(), text: z.string().optional() })),
      errors: z.array(z.string()),
    }),
  ),
});

export const POLICY_ROUTES: readonly ApiRoute[] = [putPolicy, listPolicies, getPolicy, deletePolicy, validatePolicy, explainPolicy];
