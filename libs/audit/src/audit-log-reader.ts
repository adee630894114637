import type { DataSource, EntityManager } from 'typeorm';
import type { Action } from '@weaver/governance';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { withTenant } from '@weaver/persistence';
import type { ChainedEntry } from './audit-entry';
import type { SignedCheckpoint } from './checkpoint';

export interface EntryQuery {
  /** ISO times, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  action?: Action;
  /** Page after this seq (the previous page's `nextAfterSeq`). */
  afterSeq?: number;
  limit?: number;
}

export interface EntryPage {
  entries: ChainedEntry[];
  /** Pass as `afterSeq` for the next page; absent on the last page. */
  nextAfterSeq?: number;
}

interface EntryRow {
  seq: string;
  entry: string;
  leaf_hash: Buffer;
  chain_hash: Buffer;
}
interface CheckpointRow {
  tenant_id: string;
  tree_size: string;
  root_hash: Buffer;
  chain_hash: Buffer;
  signed_at: Date;
  key_id: string;
  signature: Buffer;
}

export const MAX_PAGE = 1_000;

const entryOf = (r: EntryRow): ChainedEntry => ({ seq: Number(r.seq), entry: r.entry, leafHash: r.leaf_hash.toString('hex'), chainHash: r.chain_hash.toString('hex') });
const checkpointOf = (r: CheckpointRow): SignedCheckpoint => ({
  tenantId: r.tenant_id,
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash.toString('hex'),
  chainHash: r.chain_hash.toString('hex'),
  signedAt: r.signed_at.toISOString(),
  keyId: r.key_id,
  signature: r.signature.toString('base64url'),
});

/** Reads a tenant's log and checkpoints, always inside withTenant (row-level security decides). */
export class AuditLogReader {
  constructor(private readonly ds: DataSource) {}

  async list(tenantId: string, q: EntryQuery): Promise<EntryPage> {
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new ValidationError([{ field: 'limit', rule: `must be an integer in 1..${MAX_PAGE}` }]);
    for (const field of ['from', 'to'] as const) {
      const at = q[field];
      if (at !== undefined && !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(at)) throw new ValidationError([{ field, rule: 'must be an ISO-8601 time, e.g. 2026-12-01T00:00:00Z' }]);
    }
    return withTenant(this.ds, tenantId, async (em) => {
      const rows = (await em.query(
        `SELECT seq, entry, leaf_hash, chain_hash FROM audit.entries
         WHERE seq > $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3) AND ($4::text IS NULL OR action = $4)
         ORDER BY seq LIMIT $5`,
        [q.afterSeq ?? -1, q.from ?? null, q.to ?? null, q.action ?? null, limit + 1],
      )) as EntryRow[];
      const entries = rows.slice(0, limit).map(entryOf);
      return rows.length > limit ? { entries, nextAfterSeq: entries[entries.length - 1]!.seq } : { entries };
    });
  }

  /** Entries [fromSeq, toSeq) in order, with the chain hash before fromSeq. */
  range(em: EntityManager, fromSeq: number, toSeq: number): Promise<ChainedEntry[]> {
    return em.query('SELECT seq, entry, leaf_hash, chain_hash FROM audit.entries WHERE seq >= $1 AND seq < $2 ORDER BY seq', [fromSeq, toSeq]).then((rows: EntryRow[]) => rows.map(entryOf));
  }

  /** The first `size` leaf hashes, for proofs (32 bytes a row). */
  async leaves(em: EntityManager, size: number): Promise<Buffer[]> {
    const rows = (await em.query('SELECT leaf_hash FROM audit.entries WHERE seq < $1 ORDER BY seq', [size])) as { leaf_hash: Buffer }[];
    return rows.map((r) => r.leaf_hash);
  }

  async checkpoints(em: EntityManager): Promise<SignedCheckpoint[]> {
    const rows = (await em.query('SELECT tenant_id, tree_size, root_hash, chain_hash, signed_at, key_id, signature FROM audit.checkpoints ORDER BY tree_size')) as CheckpointRow[];
    return rows.map(checkpointOf);
  }

  async checkpoint(em: EntityManager, treeSize?: number): Promise<SignedCheckpoint> {
    const all = await this.checkpoints(em);
    const cp = treeSize === undefined ? all[all.length - 1] : all.find((c) => c.treeSize === treeSize);
    if (!cp) throw new NotFoundError('audit checkpoint', treeSize === undefined ? 'latest' : String(treeSize));
    return cp;
  }
}
