import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { Uuid } from '../schemas/common';

/**
 * A tenant's quotas, snake_case as the admin API writes them (@weaver/tenancy-core QUOTA_FIELDS
 * holds the bounds; a gateway spec checks these names agree with it).
 */
export const QUOTA_NAMES = ['runs_per_second', 'run_burst', 'concurrent_runs', 'tokens_per_day', 'stored_bytes', 'budget_usd'] as const;

export const Quotas = z.object({
  runs_per_second: z.number().describe('token bucket refill at intake (per gateway: divided by GATEWAY_REPLICAS)'),
  run_burst: z.number().int().describe('bucket size, >= 1'),
  concurrent_runs: z.number().int().describe('pending + running runs; 0 refuses every new run'),
  tokens_per_day: z.number().int().describe('model tokens per UTC day (router)'),
  stored_bytes: z.number().int().describe('bytes of published results (publisher)'),
  budget_usd: z.number().describe('default USD budget of a tenant the router has no budget for'),
});
export type Quotas = z.infer<typeof Quotas>;

const QuotasView = z.object({ quotas: Quotas.describe('what applies'), overrides: Quotas.partial().describe('the values that are the tenant\'s own (the rest are the installation\'s defaults)') });
const params = z.object({ tenantId: Uuid });

export const getQuotas = defineRoute({
  operationId: 'getQuotas',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/quotas',
  summary: 'A tenant\'s effective quotas and which are its own',
  tags: ['quotas'],
  auth: 'admin',
  roles: ['admin'],
  params,
  status: 200,
  response: json(QuotasView),
});

/** The bounds per field are tenancy's (QUOTA_FIELDS); the schema checks the shape. */
export const setQuotas = defineRoute({
  operationId: 'setQuotas',
  method: 'PUT',
  path: '/v1/admin/tenants/{tenantId}/quotas',
  summary: 'Set some of a tenant\'s quotas (null: back to the default; fields left out stay)',
  tags: ['quotas'],
  auth: 'admin',
  roles: ['admin'],
  params,
  body: z.strictObject(Object.fromEntries(QUOTA_NAMES.map((n) => [n, z.number({ error: 'must be a number or null' }).min(0, 'must be >= 0').nullable().optional()])) as Record<(typeof QUOTA_NAMES)[number], z.ZodOptional<z.ZodNullable<z.ZodNumber>>>, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown quota; expected one of ${QUOTA_NAMES.join(', ')}` : 'must be a JSON object of quotas, e.g. {"concurrent_runs": 10}'),
  }),
  status: 200,
  response: json(QuotasView),
});

export const QUOTA_ROUTES: readonly ApiRoute[] = [getQuotas, setQuotas];
