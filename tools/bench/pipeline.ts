/**
 * Benchmark: one exactly-once agent step, Weaver vs a durable queue, in one run on one machine.
 *   node -r @swc-node/register tools/bench/pipeline.ts [--runs 1000] [--unloaded 200]
 *        [--rates 50,500] [--seconds 10] [--inflight 50000] [--stack-runs 2000]
 *        [--only weaver,sealed,bullmq,stack,inflight]   (sealed: the Weaver pipeline again with encryption on)
 * Starts its own Kafka broker, PostgreSQL and redis-server (data in a temp dir) and prints, for
 * Weaver's content pipeline (researcher → writer → reviewer on the durable exactly-once path)
 * and the same pipeline on BullMQ: burst steps/s, unloaded hop/e2e p50/p99, open-loop
 * latencies at fixed offered rates, and the ratio Weaver ÷ BullMQ; then the pipeline through all
 * six services, and 50,000 in-flight 5-second steps on one runner (peak RSS).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../libs/observability/src';
import { createDataSource } from '../../libs/persistence/src';
import { RUNS_MIGRATIONS, RUNS_SCHEMA } from '../../libs/runs/src';
import { createTestDatabase } from '../../libs/testing/src';
import { migrateTestDatabase } from '@weaver/database';
import { contentPipeline } from '../../examples/content-pipeline/workflow';
import { startBroker } from '../kafka/src/broker';
import { startPostgres } from '../postgres/src/embedded';
import { startRedis } from '../redis/src';
import { BullPipeline } from './pipeline/bullmq';
import { burst, openLoop, unloaded, type Pipeline } from './pipeline/phases';
import { fmt, type PhaseResult } from './pipeline/stats';
import { WeaverPipeline } from './pipeline/weaver';
import { DataKeyCache, DataKeyStore, EnvelopeCipher, KEYS_MIGRATIONS, KEYS_SCHEMA, LocalKms } from '@weaver/crypto';
import { runInflight } from './pipeline/inflight';
import { runStack } from './pipeline/stack';
import { CpuMeter } from './pipeline/cpu';

const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const RUNS = Number(flag('runs', '1000'));
const UNLOADED = Number(flag('unloaded', '200'));
const RATES = flag('rates', '50,500').split(',').map(Number);
const SECONDS = Number(flag('seconds', '10'));
const INFLIGHT = Number(flag('inflight', '50000'));
const STACK_RUNS = Number(flag('stack-runs', '2000'));
const ONLY = new Set(flag('only', 'weaver,bullmq,stack,inflight').split(','));
const PARTITIONS = 6;
const STEPS = 3;
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const logger = createLogger('bench', { level: process.env['WEAVER_BENCH_LOG'] ?? 'error' });

async function phases(name: string, p: Pipeline, cpu: CpuMeter): Promise<PhaseResult> {
  // Warm-up: group joins, connections, JIT; not measured.
  await p.clock.waitFor(await p.send(50), 120_000);
  cpu.begin();
  const t0 = Date.now();
  const burstStepsPerSec = await burst(p, RUNS, STEPS);
  say(`  ${name}: burst ${fmt(burstStepsPerSec, 0)} steps/s; CPU during the burst: ${cpu.end((Date.now() - t0) / 1000)}`);
  const u = await unloaded(p, UNLOADED);
  say(`  ${name}: unloaded hop p50 ${fmt(u.unloadedHop.p50)} ms p99 ${fmt(u.unloadedHop.p99)} ms, e2e p50 ${fmt(u.unloadedE2e.p50)} ms p99 ${fmt(u.unloadedE2e.p99)} ms`);
  const open: PhaseResult['open'] = [];
  for (const rate of RATES) {
    cpu.begin();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t1 = Date.now();
    const cu = process.cpuUsage();
    const o = await openLoop(p, rate, SECONDS);
    const du = process.cpuUsage(cu);
    say(`  ${name}: ${rate} runs/s: this process user ${fmt(du.user / 1e6)} s, system ${fmt(du.system / 1e6)} s`);
    lag.disable();
    say(`  ${name}: ${rate} runs/s: CPU ${cpu.end((Date.now() - t1) / 1000)}; event-loop delay p50 ${fmt(lag.percentile(50) / 1e6)} ms p99 ${fmt(lag.percentile(99) / 1e6)} ms`);
    open.push(o);
    say(`  ${name}: ${rate} runs/s offered: hop p50/p99/max ${fmt(o.hop.p50)}/${fmt(o.hop.p99)}/${fmt(o.hop.max)} ms, e2e p50/p99/max ${fmt(o.e2e.p50)}/${fmt(o.e2e.p99)}/${fmt(o.e2e.max)} ms, completed ${o.completed}/${o.offered}, last completion ${fmt(o.drainMs, 0)} ms after the last intended send`);
  }
  return { burstStepsPerSec, ...u, open };
}

function table(w: PhaseResult, b: PhaseResult): void {
  const row = (what: string, wv: number, bv: number, digits = 1): void => say(`| ${what} | ${fmt(wv, digits)} | ${fmt(bv, digits)} | ${fmt(wv / bv, 2)} |`);
  say('\n| measure | Weaver | BullMQ | Weaver ÷ BullMQ |\n|---|---:|---:|---:|');
  row('burst steps/s', w.burstStepsPerSec, b.burstStepsPerSec, 0);
  row('unloaded hop p50 ms', w.unloadedHop.p50, b.unloadedHop.p50);
  row('unloaded hop p99 ms', w.unloadedHop.p99, b.unloadedHop.p99);
  row('unloaded e2e p50 ms', w.unloadedE2e.p50, b.unloadedE2e.p50);
  row('unloaded e2e p99 ms', w.unloadedE2e.p99, b.unloadedE2e.p99);
  for (const [i, o] of w.open.entries()) {
    const ob = b.open[i]!;
    for (const k of ['p50', 'p99', 'max'] as const) row(`${o.rate} runs/s offered: hop ${k} ms`, o.hop[k], ob.hop[k]);
    for (const k of ['p50', 'p99', 'max'] as const) row(`${o.rate} runs/s offered: e2e ${k} ms`, o.e2e[k], ob.e2e[k]);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-pipeline-'));
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as its own OS user when we are root
  say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; runs ${RUNS}, partitions ${PARTITIONS}`);
  const [broker, pg, redis] = await Promise.all([
    startBroker({ dataDir: join(dir, 'kafka'), port: 29692, onProgress: () => undefined }),
    startPostgres({ dataDir: join(dir, 'pg'), port: 29695, durability: 'durable' }),
    startRedis({ persistence: { dir } }),
  ]);
  const cpu = new CpuMeter({ node: process.pid, kafka: broker.pid, postgres: pg.pid, redis: redis.pid });
  try {
    let w: PhaseResult | undefined;
    let b: PhaseResult | undefined;
    if (ONLY.has('weaver')) {
      const db = await migrateTestDatabase(await createTestDatabase(pg.superuserUrl), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
      const ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 20 }).initialize();
      const weaver = new WeaverPipeline({ brokers: broker.brokers, ds, workflow: contentPipeline, partitions: PARTITIONS, logger, stepsPerRun: STEPS });
      await weaver.start();
      say('Weaver (AgentHost on Kafka + PostgreSQL, exactly-once):');
      w = await phases('weaver', weaver, cpu);
      await weaver.stop();
      await ds.destroy();
    }
    if (ONLY.has('sealed')) {
      // The same pipeline with encryption on (issue 8), in the same run: the cost of sealing.
      const db = await migrateTestDatabase(await createTestDatabase(pg.superuserUrl), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }, { schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS }]);
      const ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 20 }).initialize();
      const cipher = new EnvelopeCipher(new DataKeyCache(new DataKeyStore(ds), LocalKms.open(join(dir, 'keyring.json'))));
      const sealed = new WeaverPipeline({ brokers: broker.brokers, ds, workflow: contentPipeline, partitions: PARTITIONS, logger, stepsPerRun: STEPS, cipher });
      await sealed.start();
      say('Weaver with per-tenant envelope encryption (step records, run data and every Kafka payload sealed):');
      const s = await phases('weaver-sealed', sealed, cpu);
      await sealed.stop();
      await ds.destroy();
      if (w) {
        say(`sealed ÷ plaintext: burst ${(s.burstStepsPerSec / w.burstStepsPerSec).toFixed(2)} (${s.burstStepsPerSec.toFixed(0)} vs ${w.burstStepsPerSec.toFixed(0)} steps/s); unloaded hop p50 ${s.unloadedHop.p50} vs ${w.unloadedHop.p50} ms, p99 ${s.unloadedHop.p99} vs ${w.unloadedHop.p99} ms`);
      }
    }
    if (ONLY.has('bullmq')) {
      const bull = new BullPipeline(redis.url, 64);
      await bull.start();
      say('BullMQ (3 queues on redis-server with AOF fsync every second, at-least-once):');
      b = await phases('bullmq', bull, cpu);
      await bull.stop();
    }
    if (w && b) table(w, b);
    if (ONLY.has('stack')) await runStack({ brokers: broker.brokers, postgresUrl: pg.superuserUrl, runs: STACK_RUNS, partitions: PARTITIONS, say, pids: { kafka: broker.pid, postgres: pg.pid } });
    if (ONLY.has('inflight')) await runInflight({ brokers: broker.brokers, postgresUrl: pg.superuserUrl, steps: INFLIGHT, partitions: PARTITIONS, logger, say });
  } finally {
    await Promise.allSettled([broker.stop(), pg.stop(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
