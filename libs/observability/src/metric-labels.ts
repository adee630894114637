/**
 * The label vocabulary every Weaver service uses, and the cardinality rule.
 *
 * - Names: `weaver_` prefix, base units in the suffix (`_seconds`, `_bytes`, `_usd`, `_records`),
 *   counters end in `_total`.
 * - Labels, same spelling in every service: `tenant`, `workflow`, `agent`, `model`, `outcome`
 *   (plus `direction`, `kind`, `breaker`, `group` where a family needs them).
 * - Bounded cardinality: `workflow`, `agent` and `model` come from deployed configuration
 *   (catalogue, models.yaml), never from requests. `tenant` appears only on tenant-scoped
 *   business metrics (usage, cost, budget, memory) and goes through `TenantLabel`, which caps
 *   the distinct tenants one process labels; the rest share `OTHER_TENANT`. Per-tenant numbers
 *   beyond the cap come from the ledger (admin usage API), which is exact.
 */
export const METRIC_LABELS = ['tenant', 'workflow', 'agent', 'model', 'outcome'] as const;
export type MetricLabel = (typeof METRIC_LABELS)[number];

/** The label value of tenants beyond the cap. */
export const OTHER_TENANT = '_other';

/** Default cap of distinct `tenant` label values per process and family group. */
export const DEFAULT_TENANT_LABEL_CAP = 500;

/**
 * Admits the first `cap` tenants it sees as label values; later ones read `OTHER_TENANT`.
 * A Set lookup per call: O(1), no I/O, so it may sit on the step path.
 */
export class TenantLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly cap = DEFAULT_TENANT_LABEL_CAP) {}

  of(tenantId: string): string {
    if (this.seen.has(tenantId)) return tenantId;
    if (this.seen.size >= this.cap) return OTHER_TENANT;
    this.seen.add(tenantId);
    return tenantId;
  }
}
