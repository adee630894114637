import { getQuotas, type RouteResponse } from '@weaver/api-schema';
import type { tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { assertQuotaOverrides, QUOTA_FIELDS } from '@weaver/tenancy-core';

/** The admin API's JSON for quotas: snake_case, as in docs/api.md (checked against the route's schema: an admin route, not the hot path). */
export function quotasView(res: tenancy.GetQuotasResponse): RouteResponse<typeof getQuotas> {
  const snake = (q: Record<string, unknown> | undefined) =>
    Object.fromEntries(QUOTA_FIELDS.flatMap((f) => (q?.[f.name] === undefined || q?.[f.name] === null ? [] : [[f.column, q[f.name]]])));
  return getQuotas.response.schema.parse({ quotas: snake(res.quotas as unknown as Record<string, unknown>), overrides: snake(res.overrides as Record<string, unknown> | undefined) });
}

/** `{ "concurrent_runs": 10, "budget_usd": null }` → what to set and what to reset; rules checked here, before tenancy. */
export function quotaUpdateOf(body: unknown): { set: tenancy.QuotaOverrides; reset: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError([{ field: 'body', rule: 'must be a JSON object of quotas, e.g. {"concurrent_runs": 10}' }], 'quotas');
  assertQuotaOverrides(body as Record<string, unknown>);
  const set: Record<string, number> = {};
  const reset: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const f = QUOTA_FIELDS.find((q) => q.column === key || q.name === key)!;
    if (value === null) reset.push(f.column);
    else set[f.name] = value as number;
  }
  return { set, reset };
}
