/**
 * What `this.tools` adds to an MCP tool call: the same `echo` call to server-everything (stdio),
 * (a) directly through the server connection (SDK client + breaker + timeout), (b) through a
 * step's StepTools with the grant check and the call record in PostgreSQL (`tools.tool_calls`,
 * TenantBatcher), each call of a new step (so every step also pays its one recorded-calls read).
 * Prints p50/p99 per call and PostgreSQL round trips per call at concurrency 1 and 16.
 *
 *   node -r @swc-node/register tools/bench/tool-calls.ts   (needs nothing running)
 *
 * BENCH_PORT_BASE (default: a free port) is PostgreSQL's port.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateWeaver, serviceDatabaseUrl, TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { createDataSource } from '@weaver/persistence';
import { llmClientFrom } from '@weaver/sdk/internal';
import { freePort } from '@weaver/service-kit';
import { bootstrapDatabase, EVERYTHING_SERVER } from '@weaver/testing';
import { McpToolkit, parseMcpServers, ToolCallStore, TOOLS_MIGRATIONS, TOOLS_SCHEMA } from '@weaver/toolkit';
import { startPostgres, stopPostgres } from '../postgres/src/embedded';

const LEVELS = [1, 16];
const CALLS = 1_000;
const WARMUP = 100;

let roundTrips = 0;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
  roundTrips++;
  return query.apply(this, args);
};
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(label: string, concurrency: number, call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < WARMUP; i++) await call();
  const times: number[] = [];
  const trips = roundTrips;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < CALLS) {
        const t = performance.now();
        await call();
        times.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} c=${String(concurrency).padEnd(3)} p50 ${pct(times, 50).toFixed(2)} ms  p99 ${pct(times, 99).toFixed(2)} ms  ${((CALLS / wall) * 1000).toFixed(0)} calls/s  ${((roundTrips - trips) / CALLS).toFixed(2)} PG round trips/call`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'weaver-bench-tools-'));
  chmodSync(work, 0o755); // PostgreSQL may run as its own OS user (as root: postgres)
  const pg = await startPostgres({ dataDir: join(work, 'pg'), port: Number(process.env['BENCH_PORT_BASE'] ?? 0) || (await freePort()), durability: 'fast' });
  try {
    const db = await bootstrapDatabase(pg.superuserUrl, 'bench_tools');
    await migrateWeaver({ ownerUrl: db.ownerUrl, passwords: TEST_SERVICE_PASSWORDS, schemas: [{ schema: TOOLS_SCHEMA, migrations: TOOLS_MIGRATIONS }] });
    const ds = await createDataSource({ url: serviceDatabaseUrl(db.ownerUrl, 'agent-runner', TEST_SERVICE_PASSWORDS['agent-runner']), schema: TOOLS_SCHEMA, poolSize: 8 }).initialize();
    const toolkit = await McpToolkit.start({ servers: parseMcpServers({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'] } } }, 'bench'), calls: new ToolCallStore(ds), rediscoverEveryMs: 0 });
    const llm = llmClientFrom({ generate: async () => ({ text: '', toolCalls: [], model: 'none', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false }) });
    const tenantId = randomUUID();
    const connection = toolkit.connection('everything')!;
    for (const c of LEVELS) {
      await measure('direct (SDK client, breaker)', c, () => connection.callTool('echo', { message: 'hi' }));
      await measure('this.tools (grant, record, replay read)', c, () =>
        toolkit.tools({ tenantId, runId: randomUUID(), workflow: 'bench', agent: 'bench', step: 'bench', grants: ['everything/echo'], llm }).call('everything/echo', { message: 'hi' }),
      );
    }
    await toolkit.close();
    await ds.destroy();
  } finally {
    await stopPostgres(pg.dataDir);
    rmSync(work, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
