import type { DataSource } from 'typeorm';
import type { PoolClient } from 'pg';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { inTenantTransaction, poolOf } from '@weaver/persistence';
import { bytesVector, MEMORY_PURPOSES } from './memory-fields';
import type { MemoryUsage } from './memory-writes';

export interface StoredEpisode {
  id: bigint;
  text: string;
  data?: unknown;
  at: Date;
  /** The writing step's classification: a step that reads the item is raised to it. */
  classification: string[];
}

export interface StoredFact {
  id: bigint;
  text: string;
  metadata: Record<string, unknown>;
  classification: string[];
}

/** A key-value entry as stored: its value and the classification of the step that wrote it. */
export interface StoredValue {
  value: unknown;
  classification: string[];
}

/** Which key-value memory: the run's short-term (per run and agent) or the agent's long-term. */
export type KvScope = { kind: 'short_term'; tenantId: string; runId: string; agent: string } | { kind: 'long_term'; tenantId: string; agent: string };

/** Rows fetched per round trip when an index is loaded (bounded memory per query). */
const VECTOR_PAGE = 5000;

/**
 * Reads of agent memory, each one transaction under the tenant (row-level security; BEGIN
 * and the tenant setting share a round trip). Expired rows are never returned, whether or
 * not the sweep deleted them yet. Values are opened with the cipher that sealed them.
 */
export class MemoryReader {
  private pool?: ReturnType<typeof poolOf>;

  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PayloadCipher = PLAINTEXT,
  ) {}

  private run<T>(tenantId: string, work: (c: PoolClient) => Promise<T>): Promise<T> {
    this.pool ??= poolOf(this.ds);
    return inTenantTransaction(this.pool, tenantId, work);
  }

  async get(scope: KvScope, key: string): Promise<StoredValue | undefined> {
    type Row = { value: unknown; classification: string[] };
    const rows = await this.run(scope.tenantId, async (c) =>
      scope.kind === 'short_term'
        ? (await c.query<Row>(`SELECT value, classification FROM runs.memory_short_term WHERE tenant_id = $1 AND run_id = $2 AND agent = $3 AND key = $4 AND expires_at > now()`, [scope.tenantId, scope.runId, scope.agent, key])).rows
        : (await c.query<Row>(`SELECT value, classification FROM runs.memory_long_term WHERE tenant_id = $1 AND agent = $2 AND key = $3`, [scope.tenantId, scope.agent, key])).rows,
    );
    if (!rows[0]) return undefined;
    const value = await this.cipher.openJson(scope.tenantId, scope.kind === 'short_term' ? MEMORY_PURPOSES.shortTerm : MEMORY_PURPOSES.longTerm, rows[0].value);
    return { value, classification: rows[0].classification };
  }

  /** Keys present (not expired), most recently written first. */
  async keys(scope: KvScope): Promise<string[]> {
    const rows = await this.run(scope.tenantId, async (c) =>
      scope.kind === 'short_term'
        ? (await c.query<{ key: string }>(`SELECT key FROM runs.memory_short_term WHERE tenant_id = $1 AND run_id = $2 AND agent = $3 AND expires_at > now() ORDER BY written_at DESC, key DESC`, [scope.tenantId, scope.runId, scope.agent])).rows
        : (await c.query<{ key: string }>(`SELECT key FROM runs.memory_long_term WHERE tenant_id = $1 AND agent = $2 ORDER BY written_at DESC, key DESC`, [scope.tenantId, scope.agent])).rows,
    );
    return rows.map((r) => r.key);
  }

  /** Episodes in [since, until], newest first. */
  async recall(tenantId: string, agent: string, opts: { since?: Date; until?: Date; limit: number }): Promise<StoredEpisode[]> {
    const rows = await this.run(tenantId, async (c) =>
      (
        await c.query<EpisodeRow>(
          `SELECT id, at, text, data, classification FROM runs.memory_episodic
            WHERE tenant_id = $1 AND agent = $2 AND expires_at > now() AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at <= $4)
            ORDER BY at DESC, id DESC LIMIT $5`,
          [tenantId, agent, opts.since ?? null, opts.until ?? null, opts.limit],
        )
      ).rows,
    );
    return Promise.all(rows.map((r) => this.openEpisode(tenantId, r)));
  }

  async episodes(tenantId: string, agent: string, ids: readonly bigint[]): Promise<StoredEpisode[]> {
    if (!ids.length) return [];
    const rows = await this.run(tenantId, async (c) =>
      (await c.query<EpisodeRow>(`SELECT id, at, text, data, classification FROM runs.memory_episodic WHERE tenant_id = $1 AND agent = $2 AND id = ANY($3::bigint[]) AND expires_at > now()`, [tenantId, agent, ids.map(String)])).rows,
    );
    return Promise.all(rows.map((r) => this.openEpisode(tenantId, r)));
  }

  async facts(tenantId: string, agent: string, ids: readonly bigint[]): Promise<StoredFact[]> {
    if (!ids.length) return [];
    const rows = await this.run(tenantId, async (c) =>
      (await c.query<{ id: string; text: unknown; metadata: unknown; classification: string[] }>(`SELECT id, text, metadata, classification FROM runs.memory_semantic WHERE tenant_id = $1 AND agent = $2 AND id = ANY($3::bigint[])`, [tenantId, agent, ids.map(String)])).rows,
    );
    return Promise.all(
      rows.map(async (r) => ({
        id: BigInt(r.id),
        text: (await this.cipher.openJson(tenantId, MEMORY_PURPOSES.factText, r.text)) as string,
        metadata: (await this.cipher.openJson(tenantId, MEMORY_PURPOSES.factMetadata, r.metadata)) as Record<string, unknown>,
        classification: r.classification,
      })),
    );
  }

  /**
   * Vectors of one agent's episodic or semantic memory that may be new since `horizon` (all of
   * them from 0n), and the horizon to ask from next time: the initial load of an index and its
   * "since last seen" catch-up. Rows carry their inserting transaction (`xid`); every
   * transaction below a snapshot's xmin has ended, so a row not seen by a query has an xid at
   * or above that query's xmin, and nothing is missed whatever order transactions commit in.
   * Rows at or above it already seen come again (`known` skips opening them).
   */
  async vectorsAfter(tenantId: string, agent: string, kind: 'episodic' | 'semantic', horizon: bigint, known: (id: bigint) => boolean = () => false): Promise<{ rows: Array<{ id: bigint; vector: Float32Array }>; horizon: bigint }> {
    const table = kind === 'episodic' ? 'runs.memory_episodic' : 'runs.memory_semantic';
    const live = kind === 'episodic' ? 'AND expires_at > now()' : '';
    const purpose = kind === 'episodic' ? MEMORY_PURPOSES.episodeEmbedding : MEMORY_PURPOSES.factEmbedding;
    const rows: Array<{ id: bigint; vector: Float32Array }> = [];
    let next: bigint | undefined;
    // Pages by (xid, id); the next horizon is the first page's (the oldest of the snapshots).
    for (let cursor = { xid: horizon, id: -1n }; ; ) {
      const page = await this.run(tenantId, async (c) =>
        (
          await c.query<{ horizon: string; id: string | null; xid: string | null; embedding: Buffer | null }>(
            `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon)
             SELECT h.horizon, r.id, r.xid::text AS xid, r.embedding FROM h LEFT JOIN LATERAL (
               SELECT id, xid, embedding FROM ${table} WHERE tenant_id = $1 AND agent = $2 AND (xid, id) > ($3::text::xid8, $4::bigint) ${live} ORDER BY xid, id LIMIT $5
             ) r ON true`,
            [tenantId, agent, String(cursor.xid), String(cursor.id), VECTOR_PAGE],
          )
        ).rows,
      );
      next ??= BigInt(page[0]!.horizon);
      const found = page.filter((r) => r.id !== null);
      for (const r of found) {
        const id = BigInt(r.id!);
        if (!known(id)) rows.push({ id, vector: bytesVector(await this.cipher.open(tenantId, purpose, r.embedding!)) });
      }
      if (found.length < VECTOR_PAGE) return { rows, horizon: next };
      const last = found[found.length - 1]!;
      cursor = { xid: BigInt(last.xid!), id: BigInt(last.id!) };
    }
  }

  /** One tenant's usage per agent and kind (the metrics' refresh; counters kept by the writes). */
  async usage(tenantId: string): Promise<MemoryUsage[]> {
    const rows = await this.run(tenantId, async (c) =>
      (await c.query<{ agent: string; kind: MemoryUsage['kind']; items: string; bytes: string }>(`SELECT agent, kind, sum(items) AS items, sum(bytes) AS bytes FROM runs.memory_usage WHERE tenant_id = $1 GROUP BY agent, kind`, [tenantId])).rows,
    );
    return rows.map((r) => ({ agent: r.agent, kind: r.kind, items: Number(r.items), bytes: Number(r.bytes) }));
  }

  private async openEpisode(tenantId: string, r: EpisodeRow): Promise<StoredEpisode> {
    const data = r.data === null ? undefined : await this.cipher.openJson(tenantId, MEMORY_PURPOSES.episodeData, r.data);
    return { id: BigInt(r.id), at: r.at, text: (await this.cipher.openJson(tenantId, MEMORY_PURPOSES.episodeText, r.text)) as string, ...(data === undefined ? {} : { data }), classification: r.classification };
  }
}

interface EpisodeRow {
  id: string;
  at: Date;
  text: unknown;
  data: unknown;
  classification: string[];
}
