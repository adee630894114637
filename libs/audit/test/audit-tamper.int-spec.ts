import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, AuditLogWriter, AuditProofs, chainHash, entryText, leafHash, verifyBundle, verifyStoredLog, type AuditBundle, type AuditIssue } from '../src';
import { auditEvent, testSigningKey } from './audit-fixture';
import { tamperBundle } from './bundle-tampering';

const key = testSigningKey();
const trust = { trustedKeys: [key.publicKey] };
const seqsOf = (issues: AuditIssue[]): number[] => [...new Set(issues.flatMap((i) => (i.seq === undefined ? [] : [i.seq])))].sort((a, b) => a - b);

/**
 * The tamper test: 40 entries with checkpoints every 10, then each kind of change — modify,
 * delete, reorder, insert — made to an exported bundle and, as the database owner, to the
 * stored log; every one must be detected and the report must name the seq it happened at.
 */
describe('tampering with the audit trail is detected and located', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let owner: DataSource;
  let writer: AuditLogWriter;
  let proofs: AuditProofs;

  async function logOf40(): Promise<string> {
    const tenant = randomUUID();
    for (let b = 0; b < 8; b++) await writer.append(Array.from({ length: 5 }, (_, j) => auditEvent(tenant, b * 5 + j)));
    return tenant;
  }
  /** As the owner, with the append-only trigger switched off: what a rogue DBA could do. */
  async function asOwner(work: (q: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<unknown>): Promise<void> {
    await owner.transaction(async (em) => {
      await em.query('ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only');
      await work((sql, params) => em.query(sql, params));
      await em.query('ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only');
    });
  }

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }]);
    ds = await createDataSource({ url: db.urlOf('tenancy'), schema: AUDIT_SCHEMA, poolSize: 2 }).initialize();
    owner = await createDataSource({ url: db.ownerUrl, schema: AUDIT_SCHEMA, poolSize: 1 }).initialize();
    writer = new AuditLogWriter(ds, { signingKey: key, checkpointEvery: 10 });
    proofs = new AuditProofs(ds, [key.publicKey]);
  });
  afterAll(async () => {
    await ds?.destroy();
    await owner?.destroy();
    await db?.drop();
  });

  it('a restarted chainer that is handed an already-chained batch again still signs the unsigned tail', async () => {
    const tenant = randomUUID();
    const events = Array.from({ length: 5 }, (_, j) => auditEvent(tenant, j));
    await writer.append(events); // 5 entries, checkpointEvery 10: unsigned; then "the chainer crashed"
    const restarted = new AuditLogWriter(ds, { signingKey: key, checkpointEvery: 10 });
    const again = await restarted.append(events); // the redelivered batch: nothing appended
    expect(again.appended.get(tenant)).toBe(0);
    expect([...restarted.unsigned]).toEqual([tenant]);
    expect(await restarted.checkpoint(tenant)).toMatchObject({ tenantId: tenant, treeSize: 5 });
    expect(restarted.unsigned.size).toBe(0);
  });

  describe('in an exported bundle', () => {
    let bundle: AuditBundle;
    beforeAll(async () => {
      bundle = await proofs.exportBundle(await logOf40());
      expect(verifyBundle(bundle, trust)).toMatchObject({ ok: true, issues: [], entries: 40, checkpoints: 4 });
    });

    it.each([
      ['modify (an entry text changed)', 'modify', [12], ['modified', 'inclusion']],
      ['modify with leaf and chain recomputed', 'modify-rehashed', [12], ['inclusion']],
      ['delete', 'delete', [12, 13], ['sequence']],
      ['reorder (two entries swapped)', 'reorder', [12, 13], ['sequence', 'chain']],
      ['reorder keeping the seq labels', 'swap-texts', [12, 13], ['moved', 'inclusion']],
      ['insert (a forged entry, later ones renumbered)', 'insert', [13, 14], ['inclusion', 'moved']],
    ] as const)('%s', (_name, kind, seqs, checks) => {
      const result = verifyBundle(tamperBundle(bundle, kind, 12), trust);
      expect(result.ok).toBe(false);
      const named = seqsOf(result.issues);
      expect(named[0]).toBe(seqs[0]);
      for (const s of seqs) expect(named).toContain(s);
      for (const c of checks) expect(result.issues.find((i) => i.check === c && i.seq !== undefined && (seqs as readonly number[]).includes(i.seq))).toBeDefined();
    });

    it('a forged or altered checkpoint fails its signature', () => {
      const forged = { ...bundle, checkpoint: { ...bundle.checkpoint, rootHash: bundle.checkpoint.rootHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } };
      expect(verifyBundle(forged, trust).issues).toContainEqual(expect.objectContaining({ check: 'signature', treeSize: 40 }));
      const otherKey = { ...bundle, publicKeys: [{ ...key.publicKey, keyId: 'someone-else' }] };
      expect(verifyBundle(otherKey).issues).toContainEqual(expect.objectContaining({ check: 'signature' }));
    });
  });

  describe('in PostgreSQL, by the owner, verified against the signed checkpoints', () => {
    it('modify: names the modified seq', async () => {
      const tenant = await logOf40();
      await asOwner((q) => q(`UPDATE audit.entries SET entry = replace(entry, '"decision":"allow"', '"decision":"deny"') WHERE tenant_id = $1 AND seq = 12`, [tenant]));
      const r = await verifyStoredLog(ds, tenant, [key.publicKey]);
      expect(r.issues).toContainEqual(expect.objectContaining({ check: 'modified', seq: 12 }));
      expect(seqsOf(r.issues.filter((i) => i.check !== 'root'))).toEqual([12]);
    });

    it('modify with every later hash recomputed: the first checkpoint that no longer matches names the range', async () => {
      const tenant = await logOf40();
      await asOwner(async (q) => {
        const rows = (await q('SELECT seq, entry, chain_hash FROM audit.entries WHERE tenant_id = $1 AND seq >= 11 ORDER BY seq', [tenant])) as { seq: string; entry: string; chain_hash: Buffer }[];
        let chain = rows[0]!.chain_hash;
        for (const row of rows.slice(1)) {
          const entry = Number(row.seq) === 12 ? row.entry.replace('"decision":"allow"', '"decision":"deny"') : row.entry;
          const leaf = leafHash(entry);
          chain = chainHash(chain, leaf);
          await q('UPDATE audit.entries SET entry = $3, leaf_hash = $4, chain_hash = $5 WHERE tenant_id = $1 AND seq = $2', [tenant, row.seq, entry, leaf, chain]);
        }
      });
      const r = await verifyStoredLog(ds, tenant, [key.publicKey]);
      expect(r.issues).toEqual([expect.objectContaining({ check: 'root', treeSize: 20, seq: 10 })]);
      expect(r.issues[0]!.message).toContain('seq 10..19');
    });

    it('delete: names the missing seq', async () => {
      const tenant = await logOf40();
      await asOwner((q) => q('DELETE FROM audit.entries WHERE tenant_id = $1 AND seq = 12', [tenant]));
      const r = await verifyStoredLog(ds, tenant, [key.publicKey]);
      expect(r.issues).toContainEqual(expect.objectContaining({ check: 'sequence', seq: 12 }));
      expect(seqsOf(r.issues.filter((i) => i.check !== 'root'))[0]).toBe(12);
    });

    it('reorder: names both moved seqs', async () => {
      const tenant = await logOf40();
      await asOwner(async (q) => {
        await q('UPDATE audit.entries SET seq = 1000 WHERE tenant_id = $1 AND seq = 12', [tenant]);
        await q('UPDATE audit.entries SET seq = 12 WHERE tenant_id = $1 AND seq = 13', [tenant]);
        await q('UPDATE audit.entries SET seq = 13 WHERE tenant_id = $1 AND seq = 1000', [tenant]);
      });
      const r = await verifyStoredLog(ds, tenant, [key.publicKey]);
      expect(r.issues).toContainEqual(expect.objectContaining({ check: 'moved', seq: 12 }));
      expect(r.issues).toContainEqual(expect.objectContaining({ check: 'moved', seq: 13 }));
      expect(seqsOf(r.issues.filter((i) => i.check === 'moved'))).toEqual([12, 13]);
      // The chain also breaks at 14: its predecessor is no longer the entry it was chained to.
      expect(seqsOf(r.issues.filter((i) => i.check === 'chain'))).toEqual([12, 13, 14]);
    });

    it('insert: a forged entry with valid hashes shifts the rest, named at the first displaced seq and its checkpoint', async () => {
      const tenant = await logOf40();
      await asOwner(async (q) => {
        await q('UPDATE audit.entries SET seq = seq + 1000 WHERE tenant_id = $1 AND seq >= 12', [tenant]);
        await q('UPDATE audit.entries SET seq = seq - 999 WHERE tenant_id = $1 AND seq >= 1000', [tenant]);
        const [prev] = (await q('SELECT chain_hash FROM audit.entries WHERE tenant_id = $1 AND seq = 11', [tenant])) as { chain_hash: Buffer }[];
        const entry = entryText(12, auditEvent(tenant, 999, { decision: 'allow', action: 'admin.erasure' }));
        const leaf = leafHash(entry);
        await q("INSERT INTO audit.entries (tenant_id, seq, event_id, at, action, entry, leaf_hash, chain_hash) VALUES ($1, 12, 'forged', now(), 'admin.erasure', $2, $3, $4)", [tenant, entry, leaf, chainHash(prev!.chain_hash, leaf)]);
      });
      const r = await verifyStoredLog(ds, tenant, [key.publicKey]);
      expect(r.issues).toContainEqual(expect.objectContaining({ check: 'moved', seq: 13 }));
      expect(r.issues).toContainEqual(expect.objectContaining({ check: 'root', treeSize: 20, seq: 10 }));
      expect(seqsOf(r.issues.filter((i) => i.check !== 'root'))[0]).toBe(13);
    });
  });
});
