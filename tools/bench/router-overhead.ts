/**
 * The router's added latency: the same chat completion against the same local OpenAI wire
 * server, (a) directly with the official `openai` SDK, (b) through the router service over gRPC
 * (gRPC → routing → budget reserve → OpenAI SDK → ledger/idempotency commit in PostgreSQL).
 * Prints p50/p99 of both and the difference at concurrency 1, 16 and 64, then where the time
 * goes: a gRPC-plus-SDK floor (see startFloor), CPU per call of this process and of PostgreSQL,
 * and PostgreSQL round trips per call.
 *
 *   node -r @swc-node/register tools/bench/router-overhead.ts   (needs nothing running)
 *
 * BENCH_LEVELS (default 1,16,64) picks the concurrency levels. BENCH_PORT_BASE (default: free
 * ports chosen by the OS) puts PostgreSQL, the provider, the router's HTTP and gRPC servers, the
 * floor and tenancy (the tenant's quotas, GetQuotas, cached by the router) on base+0 … base+7,
 * for machines shared by several people.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Client } from 'pg';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_ROOT, router, type tenancy } from '@weaver/contracts';
import { ensureDevCertificates } from '@weaver/certs';
import { GRPC_LOADER_OPTIONS, SERVICE_IDENTITIES, grpcAccessInterceptor, grpcClient, grpcServerCredentials, mutualTlsAs, startServiceForTest, tenantMetadata, unary, freePort, type GrpcSecurity } from '@weaver/service-kit';
import { serviceDatabaseUrl, TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { migrateAll } from '@weaver/migrate';
import { bootstrapDatabase, OpenAIWireServer } from '@weaver/testing';
import { startPostgres, stopPostgres } from '../postgres/src/embedded';
import { routerConfigSchema } from '../../apps/router/src/router.config';
import { RouterModule } from '../../apps/router/src/router.module';
import { tenancyConfigSchema } from '../../apps/tenancy/src/tenancy.config';
import { TenancyModule } from '../../apps/tenancy/src/tenancy.module';

// BENCH_LEVELS=16 measures one level only (e.g. under --cpu-prof).
const LEVELS = (process.env['BENCH_LEVELS'] ?? '1,16,64').split(',').map(Number);
const REQUESTS: Record<number, number> = { 1: 300, 16: 1600, 64: 3200 };
const WARMUP = 100;

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// Where a call's time goes, per phase: this process's CPU (load generator, router, provider all
// live here), PostgreSQL's CPU (every backend of our server, from /proc) and the number of
// PostgreSQL round trips (each Client.query is one: node-pg sends the next only after the reply).
let roundTrips = 0;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
  roundTrips++;
  return query.apply(this, args);
};
const TICK_US = 10_000; // USER_HZ = 100 on Linux
function postgresCpuUs(postmasterPid: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(pid) === postmasterPid || Number(f[1]) === postmasterPid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks * TICK_US;
}
interface Cost { cpuUs: number; pgCpuUs: number; roundTrips: number }
async function costOf(pgPid: number, n: number, run: () => Promise<void>): Promise<Cost> {
  const cpu0 = process.cpuUsage(), pg0 = postgresCpuUs(pgPid), rt0 = roundTrips;
  await run();
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / n, pgCpuUs: (postgresCpuUs(pgPid) - pg0) / n, roundTrips: (roundTrips - rt0) / n };
}

/**
 * The transport floor: the same gRPC client and proto against a bare grpc-js server whose
 * Generate makes the direct SDK call and answers — no Nest, no routing, no billing. Router minus
 * floor is what the router's own work adds; floor minus direct is what one gRPC hop costs here.
 */
async function startFloor(port: number, security: GrpcSecurity, complete: () => Promise<{ choices: Array<{ message: { content: string | null } }> }>): Promise<{ url: string; stop: () => void }> {
  const def = loadSync(join(PROTO_ROOT, GRPC_SERVICES.router.protoFile), GRPC_LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(def) as unknown as { weaver: { router: { v1: { RouterService: { service: grpc.ServiceDefinition } } } } };
  const server = new grpc.Server();
  server.addService(pkg.weaver.router.v1.RouterService.service, {
    generate: (_call: unknown, cb: (err: null, res: Partial<router.GenerateResponse>) => void) =>
      void complete().then((r) => cb(null, { content: r.choices[0]?.message.content ?? '', model: 'bench', finishReason: 'stop' })),
  });
  const bound = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpcServerCredentials(security, grpcAccessInterceptor(security)), (e, p) => (e ? reject(e) : resolve(p))));
  return { url: `127.0.0.1:${bound}`, stop: () => server.forceShutdown() };
}

async function measure(concurrency: number, total: number, once: (i: number) => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await once(i);
        lat.push(performance.now() - t0);
      }
    }),
  );
  return lat.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'weaver-bench-'));
  const certs = ensureDevCertificates(join(work, 'certs'), SERVICE_IDENTITIES);
  chmodSync(work, 0o755); // embedded PostgreSQL runs as its own OS user when we are root
  const base = Number(process.env['BENCH_PORT_BASE'] ?? 0);
  const portAt = async (i: number): Promise<number> => (base ? base + i : freePort());
  const pg = await startPostgres({ dataDir: join(work, 'pg'), port: await portAt(0), durability: 'fast' });
  const db = await bootstrapDatabase(pg.superuserUrl, 'bench_router');
  await migrateAll(db.ownerUrl, TEST_SERVICE_PASSWORDS);
  const provider = await new OpenAIWireServer({ contextWindow: 100_000 }).start(base ? base + 1 : 0);
  const modelsFile = join(work, 'models.yaml');
  writeFileSync(
    modelsFile,
    `version: 1
defaults: { cache: { enabled: false } }
models:
  - name: bench
    provider: openai-compatible
    endpoint: ${provider.url}/v1
    capabilities: [text, streaming]
    max_context: 100000
    cost: { input_per_token: 0.000001, output_per_token: 0.000002 }
    pool: { connections: 128 }
`,
  );
  // The router reads the tenant's quotas (tokens_per_day, budget_usd) from tenancy, cached: as in production.
  const tenancySvc = await startServiceForTest({
    service: 'tenancy',
    module: TenancyModule,
    configSchema: tenancyConfigSchema,
    grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.policy],
    env: { DATABASE_URL: serviceDatabaseUrl(db.ownerUrl, 'tenancy', TEST_SERVICE_PASSWORDS.tenancy), DATABASE_POOL_SIZE: '2', HTTP_PORT: String(await portAt(6)), GRPC_PORT: String(await portAt(7)), ...certs.env('tenancy') },
  });
  const admin = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, tenancySvc.grpcUrl!, mutualTlsAs('operator', certs.env('operator')));
  const tenantId = (await unary(admin.client.createTenant({ name: 'bench' }))).tenant!.tenantId;
  admin.close();
  const svc = await startServiceForTest({
    service: 'router',
    module: RouterModule,
    configSchema: routerConfigSchema,
    grpc: [GRPC_SERVICES.router],
    env: { DATABASE_URL: serviceDatabaseUrl(db.ownerUrl, 'router', TEST_SERVICE_PASSWORDS.router), ROUTER_MODELS_FILE: modelsFile, DATABASE_POOL_SIZE: '20', HTTP_PORT: String(await portAt(2)), GRPC_PORT: String(await portAt(3)), TENANCY_URL: tenancySvc.grpcUrl!, ...certs.env('router') },
  });
  // Mutual TLS as in production, on the router and on the floor alike.
  const runner = mutualTlsAs('agent-runner', certs.env('agent-runner'));
  const { client, close } = grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, svc.grpcUrl!, runner);
  const direct = new OpenAI({ apiKey: 'none', baseURL: `${provider.url}/v1`, maxRetries: 0 });
  const content = 'Summarise: Kafka orders records per partition; transactions commit offsets and outputs together.';
  const viaDirect = () => direct.chat.completions.create({ model: 'bench', messages: [{ role: 'user', content }], max_tokens: 64 });
  const requestOf = (i: number): router.GenerateRequest => ({
    tenantId, workflow: 'bench', agent: 'bench', runId: `run-${i % 50}`, step: `s${i}`, idempotencyKey: randomUUID(),
    messages: [{ role: router.Role.ROLE_USER, content, toolCalls: [], toolCallId: '' }], tools: [], jsonMode: false,
    requiredCapabilities: [], classification: [], modelHint: '', maxTokens: 64, noCache: true, jsonSchema: '', jsonSchemaName: '',
  });
  const tenant = tenantMetadata(tenantId);
  const viaRouter = (i: number) => unary(client.generate(requestOf(i), tenant));
  const floor = await startFloor(base ? base + 4 : 0, mutualTlsAs('router', certs.env('router')), viaDirect);
  const floorClient = grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, floor.url, runner);
  const viaFloor = (i: number) => unary(floorClient.client.generate(requestOf(i), tenant));
  await measure(8, WARMUP, viaDirect);
  await measure(8, WARMUP, viaFloor);
  await measure(8, WARMUP, viaRouter);

  const rows: string[] = [];
  rows.push('| concurrency | requests | direct p50 ms | direct p99 ms | router p50 ms | router p99 ms | added p50 ms | added p99 ms |');
  rows.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const costs: string[] = [];
  costs.push('| concurrency | floor (gRPC + SDK) p50 / p99 ms | direct: process CPU µs/call | floor: process CPU µs/call | router: process CPU µs/call | router: PostgreSQL CPU µs/call | router: PostgreSQL round trips/call |');
  costs.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of LEVELS) {
    const n = REQUESTS[c] ?? 500;
    let d: number[] = [];
    let r: number[] = [];
    const dc = await costOf(pg.pid, n, async () => void (d = await measure(c, n, viaDirect)));
    let fl: number[] = [];
    const fc = await costOf(pg.pid, n, async () => void (fl = await measure(c, n, viaFloor)));
    const rc = await costOf(pg.pid, n, async () => void (r = await measure(c, n, viaRouter)));
    const f = (x: number) => x.toFixed(2);
    rows.push(`| ${c} | ${n} | ${f(pct(d, 50))} | ${f(pct(d, 99))} | ${f(pct(r, 50))} | ${f(pct(r, 99))} | ${f(pct(r, 50) - pct(d, 50))} | ${f(pct(r, 99) - pct(d, 99))} |`);
    costs.push(`| ${c} | ${f(pct(fl, 50))} / ${f(pct(fl, 99))} | ${dc.cpuUs.toFixed(0)} | ${fc.cpuUs.toFixed(0)} | ${rc.cpuUs.toFixed(0)} | ${rc.pgCpuUs.toFixed(0)} | ${rc.roundTrips.toFixed(2)} |`);
  }
  process.stdout.write(`${rows.join('\n')}\n\n${costs.join('\n')}\n`);

  close();
  floorClient.close();
  floor.stop();
  await svc.close();
  await tenancySvc.close();
  await provider.stop();
  await stopPostgres(join(work, 'pg'));
  rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`router-overhead failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
