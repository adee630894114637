import { ValidationError, type FieldViolation } from '@weaver/errors';
import type { router } from '@weaver/contracts';

/** The dimensions usage can be grouped by (the ledger's own columns). */
export const USAGE_DIMENSIONS = ['workflow', 'agent', 'model'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

export interface UsageQuery {
  from?: Date;
  to?: Date;
  groupBy: UsageDimension[];
}

/** An RFC 3339 timestamp (`2026-12-01T00:00:00Z`) or milliseconds since the epoch. */
function instantOf(field: string, raw: unknown, violations: FieldViolation[]): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = String(raw);
  const at = /^\d+$/.test(text) ? new Date(Number(text)) : /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(at.getTime())) violations.push({ field, rule: 'must be an RFC 3339 timestamp (2026-12-01T00:00:00Z), a date (2026-12-01) or milliseconds since the epoch' });
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * `?from=&to=&groupBy=workflow,agent`: `from` inclusive, `to` exclusive, both optional;
 * `groupBy` a comma-separated subset of workflow, agent, model (default all three).
 */
export function parseUsageQuery(q: Record<string, unknown>): UsageQuery {
  const violations: FieldViolation[] = [];
  const from = instantOf('from', q['from'], violations);
  const to = instantOf('to', q['to'], violations);
  if (from && to && from.getTime() >= to.getTime()) violations.push({ field: 'to', rule: 'must be after from' });
  const raw = q['groupBy'] === undefined || q['groupBy'] === '' ? USAGE_DIMENSIONS.join(',') : String(q['groupBy']);
  const groupBy = [...new Set(raw.split(',').map((d) => d.trim()))];
  const unknown = groupBy.filter((d) => !(USAGE_DIMENSIONS as readonly string[]).includes(d));
  if (unknown.length) violations.push({ field: 'groupBy', rule: `must be a comma-separated list of ${USAGE_DIMENSIONS.join(', ')} (got ${unknown.map((d) => `"${d}"`).join(', ')})` });
  if (violations.length) throw new ValidationError(violations, 'usage query');
  return { from, to, groupBy: groupBy as UsageDimension[] };
}

export interface UsageGroup {
  workflow?: string;
  agent?: string;
  model?: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Folds the ledger's (workflow, agent, model) rows into the asked dimensions, in the ledger's order. */
export function groupUsage(rows: readonly router.UsageRow[], groupBy: readonly UsageDimension[]): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const r of rows) {
    const key = JSON.stringify(groupBy.map((d) => r[d]));
    let g = groups.get(key);
    if (!g) {
      g = { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
      for (const d of groupBy) g[d] = r[d];
      groups.set(key, g);
    }
    g.requests += r.requests;
    g.inputTokens += Number(r.inputTokens);
    g.outputTokens += Number(r.outputTokens);
    g.costUsd += r.costUsd;
  }
  return [...groups.values()];
}
