/**
 * Coalescing of concurrent embedding calls (the router's EmbedBatcher), measured: N callers
 * embed one text each, concurrently, through the router (routing → idempotency claim and budget
 * hold in PostgreSQL → provider → ledger), against a local OpenAI-wire server; once with
 * coalescing (linger 3 ms) and once without (every call its own provider request), in the same
 * run. Prints provider requests, throughput and p50/p99 latency per concurrency level.
 *
 *   node -r @swc-node/register tools/bench/embed-batch.ts   (needs nothing running)
 *
 * BENCH_LEVELS (default 16,64,256) picks the concurrency levels; BENCH_PROVIDER_MS (default 20)
 * is the provider's own time per request (hosted embedding APIs take tens of ms per request,
 * nearly regardless of batch size: that fixed cost is what coalescing saves); BENCH_PORT_BASE
 * puts PostgreSQL and the provider on base+0 and base+1 (default: free ports).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceDatabaseUrl, TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { migrateAll } from '@weaver/migrate';
import { ModelRouter, parseModelsFile, ROUTER_SCHEMA, type EmbedBatchingOptions } from '@weaver/model-router';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { freePort } from '@weaver/service-kit';
import { bootstrapDatabase, OpenAIWireServer } from '@weaver/testing';
import { Client } from 'pg';
import { startPostgres, stopPostgres } from '../postgres/src/embedded';

// Where a call's cost goes besides the provider: PostgreSQL round trips (each Client.query is
// one; the billing batches group a tenant's claims and settlements) and this process's CPU
// (router, provider stand-in and load generator all live here).
let roundTrips = 0;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
  roundTrips++;
  return query.apply(this, args);
};

const LEVELS = (process.env['BENCH_LEVELS'] ?? '16,64,256').split(',').map(Number);
const PROVIDER_MS = Number(process.env['BENCH_PROVIDER_MS'] ?? 20);
const CALLS = (concurrency: number): number => Math.max(1_000, concurrency * 8);
const TENANTS = Array.from({ length: 8 }, () => randomUUID());

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(concurrency: number, total: number, once: (i: number) => Promise<unknown>): Promise<{ lat: number[]; seconds: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        await once(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  return { lat: lat.sort((a, b) => a - b), seconds: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'weaver-bench-embed-'));
  chmodSync(work, 0o755); // embedded PostgreSQL runs as its own OS user when we are root
  const base = Number(process.env['BENCH_PORT_BASE'] ?? 0);
  const pg = await startPostgres({ dataDir: join(work, 'pg'), port: base ? base : await freePort(), durability: 'fast' });
  const db = await bootstrapDatabase(pg.superuserUrl, 'bench_embed');
  await migrateAll(db.ownerUrl, TEST_SERVICE_PASSWORDS);
  const ds = await createDataSource({ url: serviceDatabaseUrl(db.ownerUrl, 'router', TEST_SERVICE_PASSWORDS.router), schema: ROUTER_SCHEMA, poolSize: 20 }).initialize();
  const provider = await new OpenAIWireServer({ latencyMs: PROVIDER_MS, contextWindow: 1_000_000 }).start(base ? base + 1 : 0);
  const file = parseModelsFile(
    `version: 1
models:
  - name: embedder
    provider: openai
    endpoint: ${provider.url}/v1
    api_key_env: BENCH_KEY
    capabilities: [embeddings]
    max_context: 8192
    cost: { input_per_token: 0.00000002, output_per_token: 0 }
    pool: { connections: 512 }
`,
    'bench-models.yaml',
  );
  const routerWith = (embedBatching: EmbedBatchingOptions) =>
    new ModelRouter({ file, env: { BENCH_KEY: 'sk-bench' }, dataSource: ds, metrics: new Metrics('bench'), logger: createLogger('bench', { level: 'silent' }), embedBatching });
  const modes = [
    { name: 'one request per call', router: routerWith({ lingerMs: 0 }) },
    { name: 'coalesced (linger 3 ms)', router: routerWith({ lingerMs: 3 }) },
  ];
  const text = (i: number) => `Fact ${i}: Kafka keeps records in order within one partition of a topic.`;
  const call = (router: ModelRouter, run: string) => (i: number) =>
    router.embed({ tenantId: TENANTS[i % TENANTS.length]!, workflow: 'bench', agent: 'memory', runId: `${run}-${i}`, step: 'remember', classification: [], texts: [text(i)], idempotencyKey: `${run}/${i}` });

  for (const m of modes) await measure(16, 200, call(m.router, `warm-${randomUUID()}`));
  const rows = [
    '| concurrency | calls | mode | provider requests | calls per request | throughput calls/s | p50 ms | p99 ms | PostgreSQL round trips/call | process CPU µs/call |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of LEVELS) {
    const n = CALLS(c);
    for (const m of modes) {
      const before = provider.requests.length;
      const trips = roundTrips;
      const cpu = process.cpuUsage();
      const { lat, seconds } = await measure(c, n, call(m.router, `${m.name}-${c}-${randomUUID()}`));
      const used = process.cpuUsage(cpu);
      const requests = provider.requests.length - before;
      const f = (x: number) => x.toFixed(1);
      rows.push(
        `| ${c} | ${n} | ${m.name} | ${requests} | ${(n / requests).toFixed(1)} | ${(n / seconds).toFixed(0)} | ${f(pct(lat, 50))} | ${f(pct(lat, 99))} | ${((roundTrips - trips) / n).toFixed(2)} | ${((used.user + used.system) / n).toFixed(0)} |`,
      );
      provider.requests.length = 0; // keep memory flat; counts are per phase
    }
  }
  process.stdout.write(`provider time per request: ${PROVIDER_MS} ms\n\n${rows.join('\n')}\n`);

  for (const m of modes) await m.router.close();
  await provider.stop();
  await ds.destroy();
  await stopPostgres(join(work, 'pg'));
  rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`embed-batch failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
