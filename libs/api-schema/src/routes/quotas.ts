import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { Uuid } from '../schemas/common';

/**
 * A tenant's quotas, snake_case as the admin API writes them (@weaver/tenancy-core QUOTA_FIELDS
 * holds the bounds; a gateway spec checks these names agree with it).
 */
export const QUOTA_NAMES = ['runs_per_second', 'run_burst', 'concurrent_runs', 'tokens_per_day', 'stored_bytes', 'budget_usd'] as const;
type QuotaName = (typeof QUOTA_NAMES)[number];

/** Each quota's bounds (as tenancy-core QUOTA_FIELDS: tenancy checks them again, it is the owner). */
export const QUOTA_BOUNDS: Readonly<Record<QuotaName, { integer: boolean; min: number; max: number }>> = {
  runs_per_second: { integer: false, min: 0, max: 1_000_000 },
  run_burst: { integer: true, min: 1, max: 1_000_000 },
  concurrent_runs: { integer: true, min: 0, max: 10_000_000 },
  tokens_per_day: { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  stored_bytes: { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  budget_usd: { integer: false, min: 0, max: 1e9 },
};

/** A quota as PUT takes it: a number within its bounds, or null (back to the installation's default). */
function quotaValue(name: QuotaName) {
  const { integer, min, max } = QUOTA_BOUNDS[name];
  const rule = `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  const n = z.number({ error: rule }).min(min, rule).max(max, rule);
  return (integer ? n.int(rule) : n).nullable().optional();
}

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

export const setQuotas = defineRoute({
  operationId: 'setQuotas',
  method: 'PUT',
  path: '/v1/admin/tenants/{tenantId}/quotas',
  summary: 'Set some of a tenant\'s quotas (null: back to the default; fields left out stay)',
  tags: ['quotas'],
  auth: 'admin',
  roles: ['admin'],
  params,
  body: z.strictObject(Object.fromEntries(QUOTA_NAMES.map((n) => [n, quotaValue(n)])) as Record<QuotaName, ReturnType<typeof quotaValue>>, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `is not a quota (one of ${QUOTA_NAMES.join(', ')})` : 'must be a JSON object of quotas, e.g. {"concurrent_runs": 10}'),
  }),
  status: 200,
  response: json(QuotasView),
});

export const QUOTA_ROUTES: readonly ApiRoute[] = [getQuotas, setQuotas];
