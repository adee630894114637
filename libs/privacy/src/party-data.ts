import type { Pool, PoolClient } from 'pg';
import { shredDataKeys, type PayloadCipher } from '@weaver/crypto';
import { revealObject, revealRow } from './reveal';
import { inTenantTransaction } from '@weaver/persistence';
import { objectKeyOf, parseResultUri, type ResultStore } from '@weaver/publisher-core';
import { describeParty, type Party } from './party';
import { partyFilter, subjectRuns, tenantTables, type TenantTable } from './tables';

/** What export and erasure reach besides PostgreSQL. */
export interface PartyDataDeps {
  /**
   * A role that may read and delete in every Weaver schema: the migration (owner) role — erasure
   * is an operator step like migrations, not something a serving process may do. Row-level
   * security still applies (it is forced), so every statement runs with the party's tenant set.
   */
  pool: Pool;
  /** The publisher's object store (result bytes live there, not in PostgreSQL). */
  results?: Pick<ResultStore, 'read' | 'delete'>;
  /** The router's shared response cache (entries are keyed by tenant). */
  cache?: { deleteTenant(tenantId: string): Promise<number> };
  /**
   * Opens what envelope encryption sealed, so the export holds the party's content, not
   * ciphertext (`revealRow`, `revealObject`). Without it the bundle holds values as stored.
   */
  cipher?: PayloadCipher;
}

/** The documented export format (docs/security.md, "Export bundle"). */
export interface ExportBundle {
  format: 'weaver.export.v1';
  party: Party;
  exportedAt: string;
  /** Every row of the party, per `schema.table`, as stored (content revealed). */
  tables: Record<string, Array<Record<string, unknown>>>;
  /** Published result objects: JSON when the bytes are JSON, else base64. */
  results: Array<{ uri: string; contentType: string; json?: unknown; base64?: string }>;
}

export interface ErasureReport {
  party: Party;
  erasedAt: string;
  rowsDeleted: Record<string, number>;
  objectsDeleted: number;
  /**
   * Data keys destroyed (crypto-shredding): what is left anywhere (Kafka logs, backups) can no
   * longer be decrypted. Their rows stay as tombstones (state `destroyed`, no key bytes), so a
   * version is never reused and leftovers fail as KeyDestroyedError.
   */
  keysDestroyed: number;
  /** `VACUUM keys.data_keys` ran after the commit, so the old key bytes left no dead tuples behind. */
  keysVacuumed: boolean;
  cacheEntriesDeleted: number;
}

const KEY_TABLE = /^keys\./;
/** The publisher's stored-bytes counter (the `stored_bytes` quota), kept right by erasure. */
const STORED_BYTES = 'publisher.tenant_usage';

/**
 * The DELETE of a party's rows of one table. A subject's results leave the tenant, so their
 * bytes come off its stored-bytes counter in the same statement (a decrement, not a recount: the
 * counter row's lock orders it with concurrent puts, which a recount's snapshot would miss). A
 * tenant's erasure deletes the counter row itself (it has a tenant_id, like every tenant table).
 */
function deleteStatement(table: string, where: string, party: Party, all: readonly TenantTable[]): string {
  if (table !== 'publisher.results' || !party.subjectId || !all.some((t) => t.name === STORED_BYTES)) return `DELETE FROM ${table} WHERE ${where}`;
  return `WITH gone AS (DELETE FROM publisher.results WHERE ${where} RETURNING size_bytes),
    counted AS (UPDATE ${STORED_BYTES} SET stored_bytes = GREATEST(stored_bytes - (SELECT coalesce(sum(size_bytes), 0) FROM gone), 0), updated_at = now()
                WHERE tenant_id = $1 AND EXISTS (SELECT 1 FROM gone))
    SELECT 1 FROM gone`;
}
/** Deleted last, in this order: everything else references them. */
const LAST = ['runs.runs', 'tenancy.tenants'];

/**
 * Export and erasure of a tenant or a data subject (issue 8 §7). Tables are found in the
 * catalogue (`tenantTables`), so new tenant tables are covered without a list to maintain.
 */
export class PartyData {
  constructor(private readonly deps: PartyDataDeps) {}

  async export(party: Party): Promise<ExportBundle> {
    const tables: ExportBundle['tables'] = {};
    const uris: Array<{ uri: string; contentType: string }> = [];
    await this.inTenant(party, async (client, all, runIds) => {
      for (const table of all) {
        if (KEY_TABLE.test(table.name)) continue; // wrapped keys are not the party's data
        const filter = partyFilter(table, party, runIds);
        if (!filter) continue;
        const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM ${table.name} WHERE ${filter.where}`, filter.params);
        if (!rows.length) continue;
        const cipher = this.deps.cipher;
        tables[table.name] = cipher ? await Promise.all(rows.map((r) => revealRow(cipher, table.name, r, party.tenantId))) : rows;
        if (table.name === 'publisher.results') for (const r of rows) uris.push({ uri: String(r['uri']), contentType: String(r['content_type']) });
      }
    });
    const results: ExportBundle['results'] = [];
    for (const { uri, contentType } of uris) {
      if (!this.deps.results) break;
      const stored = await this.deps.results.read(objectKeyOf(parseResultUri(uri)));
      const data = this.deps.cipher ? await revealObject(this.deps.cipher, party.tenantId, stored) : stored;
      results.push(contentType.includes('json') ? { uri, contentType, json: JSON.parse(data.toString('utf8')) as unknown } : { uri, contentType, base64: data.toString('base64') });
    }
    return { format: 'weaver.export.v1', party, exportedAt: new Date().toISOString(), tables, results };
  }

  /**
   * Objects first, then every row and the party's data keys in one transaction: a crash in
   * between leaves rows whose objects are gone, and running the erasure again finishes it
   * (deleting a missing object is not an error); the other order could orphan objects nobody
   * can find any more. Keys are destroyed the one way @weaver/crypto does it (`shredDataKeys`),
   * not deleted; then `VACUUM keys.data_keys` (outside the transaction, as VACUUM must be)
   * removes the dead tuples that still held the wrapped bytes. WAL segments and backups taken
   * before keep them until they are recycled — with the KEK still in the KMS, an operator with
   * those could unwrap them, which is why KEK rotation + re-wrap (tools/keys) after an erasure
   * shortens that window to the KEK's lifetime.
   */
  async erase(party: Party): Promise<ErasureReport> {
    const objectKeys = await this.inTenant(party, async (client, all, runIds) => {
      const results = all.find((t) => t.name === 'publisher.results');
      const filter = results && partyFilter(results, party, runIds);
      if (!filter) return [];
      const { rows } = await client.query<{ uri: string }>(`SELECT uri FROM publisher.results WHERE ${filter.where}`, filter.params);
      return rows.map((r) => objectKeyOf(parseResultUri(r.uri)));
    });
    if (objectKeys.length && !this.deps.results) throw new Error(`${describeParty(party)} has ${objectKeys.length} published result(s) but no result store was given`);
    for (const key of objectKeys) await this.deps.results!.delete(key);

    const rowsDeleted: Record<string, number> = {};
    let keysDestroyed = 0;
    await this.inTenant(party, async (client, all, runIds) => {
      const ordered = [...all.filter((t) => !LAST.includes(t.name)), ...LAST.flatMap((n) => all.filter((t) => t.name === n))];
      for (const table of ordered) {
        if (KEY_TABLE.test(table.name)) continue; // shredded below, not deleted
        const filter = partyFilter(table, party, runIds);
        if (!filter) continue;
        const { rowCount } = await client.query(deleteStatement(table.name, filter.where, party, all), filter.params);
        if (rowCount) rowsDeleted[table.name] = rowCount;
      }
      if (all.some((t) => t.name === 'keys.data_keys')) {
        keysDestroyed = await shredDataKeys((sql, params) => client.query(sql, params), party.tenantId, party.subjectId ?? 'all');
      }
    });
    const keysVacuumed = keysDestroyed > 0 && (await this.vacuumKeys());
    const cacheEntriesDeleted = !party.subjectId && this.deps.cache ? await this.deps.cache.deleteTenant(party.tenantId) : 0;
    return { party, erasedAt: new Date().toISOString(), rowsDeleted, objectsDeleted: objectKeys.length, keysDestroyed, keysVacuumed, cacheEntriesDeleted };
  }

  private async vacuumKeys(): Promise<boolean> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('VACUUM keys.data_keys');
      return true;
    } finally {
      client.release();
    }
  }

  private inTenant<T>(party: Party, work: (client: PoolClient, tables: TenantTable[], runIds: string[]) => Promise<T>): Promise<T> {
    return inTenantTransaction(this.deps.pool, party.tenantId, async (client) => work(client, await tenantTables(client), await subjectRuns(client, party)));
  }
}
