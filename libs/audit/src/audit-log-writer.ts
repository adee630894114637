import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEvent } from '@weaver/governance';
import { assertUuid, TENANT_SETTING } from '@weaver/persistence';
import { entryText } from './audit-entry';
import type { AuditSigningKey } from './audit-signing-key';
import { signCheckpoint, type SignedCheckpoint } from './checkpoint';
import { CompactRange } from './compact-range';
import { chainHash, GENESIS_CHAIN_HASH, leafHash } from './hashes';

export interface AuditLogWriterOptions {
  signingKey: AuditSigningKey;
  /** Sign a checkpoint once this many entries are unsigned (inline, in the append's transaction). */
  checkpointEvery: number;
  now?: () => Date;
}

export interface AppendResult {
  /** Entries appended per tenant (redelivered events, already in the log, are not counted). */
  appended: Map<string, number>;
  /** Tenants of the batch whose log has entries no checkpoint covers (also after a redelivery that appended nothing). */
  unsigned: Set<string>;
  checkpoints: SignedCheckpoint[];
}

interface Head {
  head_seq: string | null;
  head_chain: Buffer | null;
  cp_size: string | null;
  seen: string[];
}

/**
 * Appends events to the tenants' hash-chained logs: one PostgreSQL transaction per call (the
 * chainer's consumed batch), per tenant an advisory transaction lock (so two chainers during a
 * rebalance cannot fork a chain), the head read, already-logged event ids dropped, hashes
 * computed here, one multi-row INSERT. Three statements per tenant per batch, whatever its size.
 */
export class AuditLogWriter {
  /** Tenants with entries no checkpoint covers yet (for the chainer's timed checkpoints). */
  readonly unsigned = new Set<string>();

  constructor(
    private readonly ds: DataSource,
    private readonly opts: AuditLogWriterOptions,
  ) {}

  async append(events: readonly AuditEvent[]): Promise<AppendResult> {
    const byTenant = new Map<string, AuditEvent[]>();
    for (const e of events) {
      assertUuid(e.tenantId, 'event.tenantId');
      const tenant = e.tenantId.toLowerCase();
      byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), e]);
    }
    const result: AppendResult = { appended: new Map(), unsigned: new Set(), checkpoints: [] };
    // Sorted: every writer takes tenants' locks in one order, so batches never deadlock.
    const tenants = [...byTenant.keys()].sort();
    await this.ds.transaction(async (em) => {
      for (const tenant of tenants) {
        const { appended, unsigned, checkpoint } = await this.appendTenant(em, tenant, byTenant.get(tenant)!);
        result.appended.set(tenant, appended);
        if (unsigned) result.unsigned.add(tenant);
        if (checkpoint) result.checkpoints.push(checkpoint);
      }
    });
    // A chainer that crashed before its timed checkpoint left such tails; the redelivered batch
    // (the offsets were not committed) marks them here, so this process's timer signs them.
    for (const tenant of result.unsigned) this.unsigned.add(tenant);
    for (const cp of result.checkpoints) this.unsigned.delete(cp.tenantId);
    return result;
  }

  /** Signs a checkpoint over everything `tenant` has logged, if anything is unsigned (the timed path). */
  async checkpoint(tenantId: string): Promise<SignedCheckpoint | null> {
    assertUuid(tenantId, 'tenantId');
    const tenant = tenantId.toLowerCase();
    const cp = await this.ds.transaction(async (em) => {
      await lockTenant(em, tenant);
      const [head] = (await em.query(HEAD_SQL, [[]])) as Head[];
      const size = head?.head_seq === null || head === undefined ? 0 : Number(head.head_seq) + 1;
      return size > Number(head?.cp_size ?? 0) ? this.sign(em, tenant, size) : null;
    });
    this.unsigned.delete(tenant);
    return cp;
  }

  private async appendTenant(em: EntityManager, tenant: string, events: AuditEvent[]): Promise<{ appended: number; unsigned: boolean; checkpoint: SignedCheckpoint | null }> {
    await lockTenant(em, tenant);
    const [head] = (await em.query(HEAD_SQL, [events.map((e) => e.id)])) as Head[];
    const seen = new Set(head?.seen ?? []);
    let seq = head?.head_seq === null || head === undefined ? 0 : Number(head.head_seq) + 1;
    let previous = head?.head_chain ?? GENESIS_CHAIN_HASH;
    const rows = { seq: [] as number[], id: [] as string[], at: [] as string[], action: [] as string[], entry: [] as string[], leaf: [] as Buffer[], chain: [] as Buffer[] };
    for (const event of events) {
      if (seen.has(event.id)) continue; // redelivered: already in the log
      seen.add(event.id);
      const entry = entryText(seq, { ...event, tenantId: tenant });
      const leaf = leafHash(entry);
      previous = chainHash(previous, leaf);
      rows.seq.push(seq++);
      rows.id.push(event.id);
      rows.at.push(event.at);
      rows.action.push(event.action);
      rows.entry.push(entry);
      rows.leaf.push(leaf);
      rows.chain.push(previous);
    }
    if (rows.seq.length > 0) {
      await em.query(
        `INSERT INTO audit.entries (tenant_id, seq, event_id, at, action, entry, leaf_hash, chain_hash)
         SELECT $1::uuid, * FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::bytea[], $8::bytea[])`,
        [tenant, rows.seq, rows.id, rows.at, rows.action, rows.entry, rows.leaf, rows.chain],
      );
    }
    const signed = Number(head?.cp_size ?? 0);
    const checkpoint = rows.seq.length > 0 && seq - signed >= this.opts.checkpointEvery ? await this.sign(em, tenant, seq) : null;
    return { appended: rows.seq.length, unsigned: !checkpoint && seq > signed, checkpoint };
  }

  /** Extends the last checkpoint's frontier by the leaves since it (not the whole log) and signs the new root. */
  private async sign(em: EntityManager, tenant: string, size: number): Promise<SignedCheckpoint> {
    const [last] = (await em.query('SELECT tree_size, frontier FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1')) as { tree_size: string; frontier: Buffer[] }[];
    const range = last ? new CompactRange(Number(last.tree_size), last.frontier) : new CompactRange();
    const rows = (await em.query('SELECT leaf_hash, chain_hash FROM audit.entries WHERE seq >= $1 AND seq < $2 ORDER BY seq', [range.size, size])) as { leaf_hash: Buffer; chain_hash: Buffer }[];
    for (const r of rows) range.append(r.leaf_hash);
    const cp = signCheckpoint(
      { tenantId: tenant, treeSize: size, rootHash: range.root().toString('hex'), chainHash: rows[rows.length - 1]!.chain_hash.toString('hex'), signedAt: (this.opts.now?.() ?? new Date()).toISOString() },
      this.opts.signingKey,
    );
    await em.query(
      'INSERT INTO audit.checkpoints (tenant_id, tree_size, root_hash, chain_hash, frontier, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5::bytea[], $6, $7, $8)',
      [tenant, size, Buffer.from(cp.rootHash, 'hex'), Buffer.from(cp.chainHash, 'hex'), [...range.frontier], cp.signedAt, cp.keyId, Buffer.from(cp.signature, 'base64url')],
    );
    return cp;
  }
}

/** Row-level security for this tenant and its chain's lock, one round trip, until the transaction ends. */
async function lockTenant(em: EntityManager, tenant: string): Promise<void> {
  await em.query(`SELECT set_config('${TENANT_SETTING}', $1, true), pg_advisory_xact_lock(hashtextextended('weaver.audit:' || $1, 0))`, [tenant]);
}

// RLS (weaver.tenant_id) narrows every subquery to the tenant; one round trip for all four.
const HEAD_SQL = `SELECT
  (SELECT seq FROM audit.entries ORDER BY seq DESC LIMIT 1) AS head_seq,
  (SELECT chain_hash FROM audit.entries ORDER BY seq DESC LIMIT 1) AS head_chain,
  (SELECT tree_size FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1) AS cp_size,
  ARRAY(SELECT event_id FROM audit.entries WHERE event_id = ANY($1::text[])) AS seen`;
