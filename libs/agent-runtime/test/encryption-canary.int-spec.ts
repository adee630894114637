import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataKeyCache, DataKeyStore, EnvelopeCipher, KEYS_MIGRATIONS, KEYS_SCHEMA, LocalKms, PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { Metrics } from '@weaver/observability';
import { decodeEnvelope, EnvelopeSealer, readTopicsUntil, SEALED_CONTENT_TYPE, type InboundRecord } from '@weaver/messaging';
import { migrateTestDatabase } from '@weaver/database';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import { Agent, agent, Memory, Workflow, z } from '@weaver/sdk';
import { AgentMemoryService, InProcessRunner, agentGroup } from '../src';
import { RuntimeFixture } from './runtime-fixture';
import { filesContaining } from '@weaver/testing';

/**
 * The canary scan (issue 8 item 4): canary strings go through every encrypted path of a run on
 * the real broker and PostgreSQL — run input and result, each step's output, a join's parts,
 * agent memory, every Kafka payload (events, progress, the trigger) and a dead letter — and
 * then the PostgreSQL data directory (after a CHECKPOINT) and the Kafka log segments are
 * scanned for their bytes. With encryption on: none found. The same run with encryption off
 * finds them in both places, which shows the scan looks where the data is.
 */
const Input = z.object({ secret: z.string(), big: z.string(), fail: z.boolean() });
type In = z.infer<typeof Input>;

@agent({ name: 'cn-left', requires: ['cn.requested'], publishes: ['cn.left'], input: Input, memory: Memory() })
class Left extends Agent<In> {
  async process(input: In) {
    // Every kind of memory, each value with the canary.
    await this.memory.set('note', { remembered: `${input.secret}-memory` });
    await this.memory.longTerm.set('style', `${input.secret}-long-term`);
    await this.memory.episodic.record(`${input.secret} episode`, { seen: `${input.secret}-episode-data` });
    await this.memory.semantic.remember([{ text: `${input.secret} fact`, metadata: { source: `${input.secret}-fact-metadata` } }]);
    return { left: `${input.secret}-left`, big: input.big, fail: input.fail };
  }
}

@agent({ name: 'cn-right', requires: ['cn.requested'], publishes: ['cn.right'], input: Input })
class Right extends Agent<In> {
  async process(input: In) {
    return { right: `${input.secret}-right`, fail: input.fail };
  }
}

const Joined = z.object({ 'cn.left': z.object({ left: z.string(), big: z.string(), fail: z.boolean() }), 'cn.right': z.object({ right: z.string() }) });
@agent({ name: 'cn-merger', requires: ['cn.left', 'cn.right'], publishes: ['cn.merged'], input: Joined })
class Merger extends Agent<z.infer<typeof Joined>> {
  async process(input: z.infer<typeof Joined>) {
    // The error text is metadata and stays plaintext: it must not carry the canary.
    if (input['cn.left'].fail) throw new Error('merger refuses this run (test)');
    return { merged: `${input['cn.left'].left}+${input['cn.right'].right}` };
  }
}

const flow = new Workflow('canary-flow').addAgents(Left, Right, Merger);
/** The data dirs of the servers the global setup started. */
const TEST_PG_DIR = process.env['WEAVER_TEST_PG_DIR']!;
const TEST_KAFKA_DIR = process.env['WEAVER_TEST_KAFKA_DIR']!;


describe('canary scan: no tenant data readable in PostgreSQL files or Kafka segments', () => {
  const fx = new RuntimeFixture();
  let cipher: EnvelopeCipher;

  beforeAll(async () => {
    await fx.open();
    // The keys schema next to runs, and the runner role's grants on it (the migrate step is idempotent).
    await migrateTestDatabase(fx.db, [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }, { schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS }]);
    const kms = LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-canary-')), 'keyring.json'));
    cipher = new EnvelopeCipher(new DataKeyCache(new DataKeyStore(fx.ds), kms));
  });
  afterAll(async () => {
    await fx.close();
  });

  /** One completed run and one dead-lettered run, every value carrying the canary. */
  async function runWith(payloads: PayloadCipher, canary: string): Promise<{ tenantId: string; dead: InboundRecord[] }> {
    const tenantId = randomUUID();
    const store = new RunStore(fx.ds, { cipher: payloads });
    const memory = new AgentMemoryService({ ds: fx.ds, cipher: payloads, metrics: new Metrics('t'), sweepIntervalMs: 0 });
    const sealer = new EnvelopeSealer(payloads);
    const host = await fx.host([flow], { ledger: store, memory, sealer, retry: { maxAttempts: 1, baseMs: 10, maxMs: 10 } });
    const runner = new InProcessRunner({ host, sealer, kafka: fx.kafka, runs: store, tenantId });
    try {
      // Small enough that nothing is compressed on the plaintext path (the scan must see bytes), plus one large value.
      const result = await runner.run('canary-flow', { secret: canary, big: `${canary} `.repeat(600), fail: false });
      expect(result).toEqual({ merged: `${canary}-left+${canary}-right` });
      await expect(runner.run('canary-flow', { secret: canary, big: 'small', fail: true })).rejects.toThrow(/internal error \(INTERNAL, ref [0-9a-f]{16}\)/); // the agent's own words stay in the log
      // The failed step's input is on the DLQ (read it back: it is really there, sealed or not).
      const mine = (rs: readonly InboundRecord[]): InboundRecord[] => rs.filter((r) => r.headers['weaver-tenant'] === tenantId);
      const dead = mine(await readTopicsUntil(fx.kafka, [fx.names.dlq(agentGroup(fx.names, 'cn-merger'))], (rs) => mine(rs).length >= 1, 30_000));
      expect(dead.length).toBeGreaterThanOrEqual(1);
      // What readers get back is plain again (through the same cipher).
      const runs = await store.listRuns(tenantId);
      expect(runs).toHaveLength(2);
      const done = runs.find((r) => r.status === 'completed')!;
      expect(((await store.getRun(tenantId, done.runId))!.input as { secret: string }).secret).toBe(canary);
      return { tenantId, dead };
    } finally {
      await runner.close();
      await fx.stopHost(host);
    }
  }

  async function scan(canary: string): Promise<{ postgres: string[]; kafka: string[] }> {
    const pg = new Client({ connectionString: fx.db.ownerUrl });
    await pg.connect();
    await pg.query('CHECKPOINT'); // data pages on disk, not only in WAL and shared buffers
    await pg.end();
    const needle = Buffer.from(canary, 'utf8');
    return { postgres: filesContaining(TEST_PG_DIR, needle), kafka: filesContaining(TEST_KAFKA_DIR, needle) };
  }

  it('finds nothing with encryption on', async () => {
    const canary = `canary-on-${randomBytes(8).toString('hex')}`;
    const { tenantId, dead } = await runWith(cipher, canary);
    const found = await scan(canary);
    expect(found).toEqual({ postgres: [], kafka: [] });
    // The dead letter carries the payload sealed, as it arrived; routing metadata stays readable.
    expect(dead.every((r) => decodeEnvelope(r).contentType === SEALED_CONTENT_TYPE && r.headers['weaver-tenant'] === tenantId)).toBe(true);
    // One data key for the tenant, created lazily by whichever process needed it first.
    const pg = new Client({ connectionString: fx.db.ownerUrl });
    await pg.connect();
    const keys = await pg.query<{ version: number; state: string }>(`SELECT version, state FROM keys.data_keys WHERE tenant_id = $1`, [tenantId]);
    await pg.end();
    expect(keys.rows).toEqual([{ version: 1, state: 'active' }]);
  });

  it('finds the canary in both places with encryption off (the scan is real)', async () => {
    const canary = `canary-off-${randomBytes(8).toString('hex')}`;
    const { dead } = await runWith(PLAINTEXT, canary);
    expect(decodeEnvelope(dead[0]!).contentType).toBe('application/json');
    const found = await scan(canary);
    expect(found.postgres.length).toBeGreaterThan(0);
    expect(found.kafka.some((f) => f.endsWith('.log'))).toBe(true);
  });
});
