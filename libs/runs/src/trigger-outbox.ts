import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { poolOf, returnedRows, TenantBatcher, withSettings, withTenant } from '@weaver/persistence';
import { RUN_PURPOSES } from './run-fields';
import { nextOutboxState, type OutboxEntry, type OutboxState } from './trigger-outbox-state';

/** Set (to `on`) by the relay's transactions: the `trigger_relay` policy then shows every tenant's entries. */
export const TRIGGER_RELAY_SETTING = 'weaver.trigger_relay';

/** An entry its sender holds; `attempts` is the version the claim set (a release compares it). */
export interface OutboxClaim {
  tenantId: string;
  runId: string;
  attempts: number;
}

/** What a trigger is rebuilt from: the run as recorded (not a later request's body). */
export interface PendingTrigger {
  tenantId: string;
  runId: string;
  workflow: string;
  input: unknown;
  classification: string[];
  subjectId?: string | null;
}

/** A run as the gateway records it (always `pending`: its trigger is still to be sent). */
export interface NewPendingRun {
  runId: string;
  workflow: string;
  input: unknown;
  classification?: string[];
  subjectId?: string | null;
  /** The tenant's concurrent-runs quota (pending + running); undefined = no limit. */
  maxActiveRuns?: number;
}

/** `refused`: the run was not recorded, the tenant already has `active` of `limit` runs going. */
export type RecordedRun = { created: boolean } | { created: false; refused: 'concurrent_runs'; active: number; limit: number };

export interface TriggerOutboxOptions {
  /** How long a sender holds an entry: longer than a send can take, so a live send is never doubled. */
  leaseMs: number;
  /** Intake batches in flight at once (see `TenantBatcher`; default 4). */
  maxInFlight?: number;
}

interface EntryRow {
  state: OutboxState;
  due: boolean;
  attempts: number;
  last_error: string | null;
}

const ms = (name: string): string => `now() + ${name} * interval '1 millisecond'`;

/**
 * `runs.trigger_outbox`: the triggers of recorded runs not yet known to be on Kafka, moved
 * through `OUTBOX_TRANSITIONS`. Single-run reads and claims run under the run's tenant; the
 * relay's cross-tenant claim and the batched settling run under `TRIGGER_RELAY_SETTING`, so
 * acknowledgements of many tenants' sends cost one statement.
 */
export class TriggerOutbox {
  private intake?: TenantBatcher<NewPendingRun, RecordedRun>;

  constructor(
    private readonly ds: DataSource,
    readonly options: TriggerOutboxOptions,
    /** Seals run inputs as RunStore does (the same column, the same purpose). */
    private readonly cipher: PayloadCipher = PLAINTEXT,
  ) {}

  /**
   * Records a pending run and its unsent trigger atomically, in one statement. Concurrent
   * intakes of a tenant share a transaction (group commit, `TenantBatcher`), so under load this
   * costs less than recording runs one by one. The entry starts `sending`, held by the caller
   * for `leaseMs`. `created` is false when the run already existed; then nothing is written.
   *
   * The concurrent-runs quota is checked in the same statement. Each batch first takes a
   * per-tenant advisory lock (in BEGIN's round trip), so a tenant's intake batches — on every
   * gateway replica — run one after another and each counts the runs the previous committed:
   * the quota holds exactly for runs started through gateways, at no extra round trip.
   */
  async recordRun(tenantId: string, run: NewPendingRun): Promise<RecordedRun> {
    this.intake ??= new TenantBatcher(poolOf(this.ds), (client, tenant, runs) => recordRuns(client, tenant, runs, this.options.leaseMs), {
      maxInFlight: this.options.maxInFlight,
      begin: (tenant) => `SELECT pg_advisory_xact_lock(hashtextextended('weaver.intake:${tenant}', 0))`,
    });
    // Sealed before it is queued: the batch stays one statement with no key lookups inside.
    return this.intake.submit(tenantId, this.cipher.enabled ? { ...run, input: await this.cipher.sealJson(run.subjectId ? { tenantId, subject: run.subjectId } : { tenantId }, RUN_PURPOSES.input, run.input) } : run);
  }

  async entry(tenantId: string, runId: string): Promise<OutboxEntry | undefined> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: EntryRow[] = await em.query(
        `SELECT state, due_at <= now() AS due, attempts, last_error FROM runs.trigger_outbox WHERE tenant_id = $1 AND run_id = $2`,
        [tenantId, runId],
      );
      const r = rows[0];
      return r && { tenantId, runId, state: r.state, due: r.due, attempts: r.attempts, lastError: r.last_error };
    });
  }

  /** Takes an entry as read (compare-and-set on `attempts`); undefined when another sender took it in between. */
  async claim(entry: OutboxEntry): Promise<OutboxClaim | undefined> {
    return withTenant(this.ds, entry.tenantId, async (em) => {
      const rows = returnedRows<{ attempts: number }>(
        await em.query(
          `UPDATE runs.trigger_outbox SET state = 'sending', due_at = ${ms('$4')}, attempts = attempts + 1
           WHERE tenant_id = $1 AND run_id = $2 AND attempts = $3 RETURNING attempts`,
          [entry.tenantId, entry.runId, entry.attempts, this.options.leaseMs],
        ),
      );
      return rows[0] && { tenantId: entry.tenantId, runId: entry.runId, attempts: rows[0].attempts };
    });
  }

  /**
   * The relay's claim: up to `limit` due entries of any tenant (`claimable(_, 'relay')` as SQL),
   * skipping rows another gateway replica is claiming at the same moment.
   */
  async claimDue(limit: number): Promise<OutboxClaim[]> {
    return withSettings(this.ds, { [TRIGGER_RELAY_SETTING]: 'on' }, async (em) => {
      const rows = returnedRows<{ tenant_id: string; run_id: string; attempts: number }>(
        await em.query(
          `UPDATE runs.trigger_outbox o SET state = 'sending', due_at = ${ms('$2')}, attempts = o.attempts + 1
           FROM (SELECT tenant_id, run_id FROM runs.trigger_outbox WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED) d
           WHERE o.tenant_id = d.tenant_id AND o.run_id = d.run_id RETURNING o.tenant_id, o.run_id, o.attempts`,
          [limit, this.options.leaseMs],
        ),
      );
      return rows.map((r) => ({ tenantId: r.tenant_id, runId: r.run_id, attempts: r.attempts }));
    });
  }

  /**
   * Moves held entries on (`OUTBOX_TRANSITIONS` from `sending`): `sent` and `run-left-pending`
   * delete them whoever holds them now (the trigger is on Kafka, or not needed); `failed` makes
   * them wait `retryAfterMs` with the error, but only where this sender's claim still stands.
   */
  async settle(claims: OutboxClaim[], event: 'sent' | 'failed' | 'run-left-pending', failure?: { error: string; retryAfterMs: number }): Promise<void> {
    if (!claims.length) return;
    const to = nextOutboxState('sending', event);
    const tenants = claims.map((c) => c.tenantId);
    const runs = claims.map((c) => c.runId);
    await withSettings(this.ds, { [TRIGGER_RELAY_SETTING]: 'on' }, async (em) => {
      if (to === 'gone') {
        await em.query(`DELETE FROM runs.trigger_outbox WHERE (tenant_id, run_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`, [tenants, runs]);
        return;
      }
      await em.query(
        `UPDATE runs.trigger_outbox o SET state = $4, due_at = ${ms('$5')}, last_error = $6
         FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS c(tenant_id, run_id, attempts)
         WHERE o.tenant_id = c.tenant_id AND o.run_id = c.run_id AND o.attempts = c.attempts`,
        [tenants, runs, claims.map((c) => c.attempts), to, failure?.retryAfterMs ?? 0, failure?.error ?? null],
      );
    });
  }

  /** The recorded content of those of `runIds` still pending (the others need no trigger any more). */
  async pendingTriggers(tenantId: string, runIds: string[]): Promise<PendingTrigger[]> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: Array<{ run_id: string; workflow: string; input: unknown; classification: string[]; subject_id: string | null }> = await em.query(
        `SELECT run_id, workflow, input, classification, subject_id FROM runs.runs WHERE tenant_id = $1 AND run_id = ANY($2::uuid[]) AND status = 'pending'`,
        [tenantId, runIds],
      );
      return rows.map((r) => ({ tenantId, runId: r.run_id, workflow: r.workflow, input: r.input, classification: r.classification, subjectId: r.subject_id }));
    }).then((triggers) => Promise.all(triggers.map(async (t) => ({ ...t, input: await this.cipher.openJson(tenantId, RUN_PURPOSES.input, t.input) }))));
  }
}

/**
 * One tenant's intake batch: the runs (the first of duplicate ids in a batch wins, as in
 * `RunStore.createRun`) and, for those that are new, their outbox entries. The run columns are
 * those of `RunStore.createRun`.
 */
async function recordRuns(client: PoolClient, tenantId: string, runs: readonly NewPendingRun[], leaseMs: number): Promise<RecordedRun[]> {
  // One limit per batch (all one tenant's, read from the same cache): the smallest given.
  const limits = runs.map((r) => r.maxActiveRuns).filter((l): l is number => l !== undefined);
  const limit = limits.length ? Math.min(...limits) : null;
  const { rows } = await client.query<{ run_id: string; created: boolean; refused: boolean; active: number }>(
    `WITH v AS (
       SELECT DISTINCT ON (run_id) * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $7::text[]) WITH ORDINALITY AS v(run_id, workflow, input, classification, subject_id, n) ORDER BY run_id, n),
     fresh AS (
       SELECT v.run_id, row_number() OVER (ORDER BY v.n) AS k FROM v
       WHERE NOT EXISTS (SELECT 1 FROM runs.runs r WHERE r.tenant_id = $1 AND r.run_id = v.run_id)),
     -- Counted up to the limit only: the cost is bounded by the quota, not by the tenant's history.
     active AS (SELECT count(*)::int AS n FROM (SELECT 1 FROM runs.runs WHERE tenant_id = $1 AND status IN ('pending', 'running') LIMIT coalesce($8::int, 0)) a),
     admitted AS (SELECT fresh.run_id FROM fresh, active WHERE $8::int IS NULL OR fresh.k <= $8::int - active.n),
     run AS (
       INSERT INTO runs.runs (tenant_id, run_id, workflow, status, input, classification, subject_id)
       SELECT $1, v.run_id, v.workflow, 'pending', v.input::jsonb, ARRAY(SELECT jsonb_array_elements_text(v.classification::jsonb)), NULLIF(v.subject_id, '') FROM v
       WHERE v.run_id IN (SELECT run_id FROM admitted)
       ON CONFLICT (tenant_id, run_id) DO NOTHING RETURNING tenant_id, run_id),
     entry AS (INSERT INTO runs.trigger_outbox (tenant_id, run_id, state, due_at) SELECT tenant_id, run_id, 'sending', ${ms('$6')} FROM run RETURNING run_id)
     SELECT v.run_id, e.run_id IS NOT NULL AS created, (f.run_id IS NOT NULL AND a.run_id IS NULL) AS refused, (SELECT n FROM active) AS active
     FROM v LEFT JOIN entry e ON e.run_id = v.run_id LEFT JOIN fresh f ON f.run_id = v.run_id LEFT JOIN admitted a ON a.run_id = v.run_id`,
    [tenantId, runs.map((r) => r.runId), runs.map((r) => r.workflow), runs.map((r) => JSON.stringify(r.input ?? null)), runs.map((r) => JSON.stringify(r.classification ?? [])), leaseMs, runs.map((r) => r.subjectId ?? ''), limit],
  );
  const byRun = new Map(rows.map((r) => [r.run_id, r]));
  const seen = new Set<string>();
  return runs.map((r): RecordedRun => {
    const id = r.runId.toLowerCase();
    const row = byRun.get(id);
    const first = !seen.has(id); // a duplicate id in one batch: the first one created it
    seen.add(id);
    if (row?.refused) return { created: false, refused: 'concurrent_runs', active: row.active, limit: limit! };
    return { created: first && row?.created === true };
  });
}
