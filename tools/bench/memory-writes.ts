/**
 * Benchmark: what agent memory adds to recording a step (issue 9 item 2). Steps are recorded
 * through RunStore on a durable embedded PostgreSQL, many at once (as a busy runner does: the
 * batcher groups them), with no memory, with two key-value writes per step, and with one
 * episode + one fact (32-dimension vectors) per step.
 *   npx tsx tools/bench/memory-writes.ts [--steps 4000] [--concurrency 200] [--agents 8] [--port 29697]
 * Prints steps/s per case and each relative to the no-memory case of the same run.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createDataSource } from '../../libs/persistence/src';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, vectorBytes, type StepMemoryWrites } from '../../libs/runs/src';
import { createTestDatabase } from '../../libs/testing/src';
import { migrateTestDatabase } from '@weaver/database';
import { startPostgres } from '../postgres/src/embedded';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = arg('steps', 4000);
const CONCURRENCY = arg('concurrency', 200);
const AGENTS = arg('agents', 8);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

const CAPS = { shortTermItems: 100, longTermBytes: 1 << 30, episodicItems: 1_000_000, semanticBytes: 1 << 30 };
const vector = () => vectorBytes(Float32Array.from({ length: 32 }, () => Math.random()));
const CASES: Array<[string, (agent: string, i: number) => StepMemoryWrites | undefined]> = [
  ['no memory', () => undefined],
  ['short-term + long-term key', (agent, i) => ({ agent, classification: ['internal'], caps: CAPS, shortTerm: [{ key: 'draft', value: { i }, bytes: 12, expiresAt: new Date(Date.now() + 3_600_000) }], longTerm: [{ key: `k${i % 50}`, value: { i }, bytes: 12 }], episodes: [], facts: [] })],
  ['episode + fact (32 dims)', (agent, i) => ({ agent, classification: ['internal'], caps: CAPS, shortTerm: [], longTerm: [], episodes: [{ at: new Date(), text: `episode ${i}`, data: { i }, embedding: vector(), dims: 32, bytes: 150, expiresAt: new Date(Date.now() + 3_600_000) }], facts: [{ text: `fact ${i}`, metadata: {}, embedding: vector(), dims: 32, bytes: 140 }] })],
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-memory-'));
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as its own OS user when we are root
  const pg = await startPostgres({ dataDir: join(dir, 'pg'), port: arg('port', 29697), durability: 'durable' });
  try {
    const db = await migrateTestDatabase(await createTestDatabase(pg.superuserUrl), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
    const ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 20 }).initialize();
    const store = new RunStore(ds);
    const tenantId = randomUUID();
    say(`steps recorded through RunStore, ${STEPS} per case, ${CONCURRENCY} at once, ${AGENTS} agents, durable PostgreSQL, node ${process.version}`);
    say('| case | steps/s | vs no memory |\n| --- | ---: | ---: |');
    let base = 0;
    for (const [label, memory] of CASES) {
      const runs = Array.from({ length: STEPS }, () => randomUUID());
      for (let i = 0; i < runs.length; i += CONCURRENCY) {
        await Promise.all(runs.slice(i, i + CONCURRENCY).map((runId) => store.createRun(tenantId, { runId, workflow: 'bench', input: {}, status: 'running' })));
      }
      const started = performance.now();
      let next = 0;
      // CONCURRENCY steps in flight at any time, each one agent per run (spread over AGENTS agent names: writers of one agent's memory serialise on its usage rows).
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < STEPS; i = next++) {
            const at = new Date();
            await store.recordStep(tenantId, runs[i]!, { step: 'agent', agent: 'agent', status: 'completed', attempt: 1, inputEventId: `e${i}`, output: { i }, startedAt: at, finishedAt: at }, null, memory(`agent-${i % AGENTS}`, i));
          }
        }),
      );
      const rate = STEPS / ((performance.now() - started) / 1000);
      base ||= rate;
      say(`| ${label} | ${Math.round(rate).toLocaleString('en')} | ${(rate / base).toFixed(2)} |`);
    }
    await ds.destroy();
    await db.drop();
  } finally {
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
