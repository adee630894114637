/**
 * The same pipeline through all six services: runs started over the gateway's REST API (API
 * key resolved by tenancy, run recorded, trigger written), each step billed by the router (a
 * gRPC call per model call: idempotency key, budget hold, ledger), the result stored by the
 * publisher. Completion is seen on `weaver.runs.v1`, read-committed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, decodeEnvelope, TopicNames, TopicTail } from '../../../libs/messaging/src';
import { createLogger } from '../../../libs/observability/src';
import { TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { startStack } from '../../stack/src';
import { CpuMeter } from './cpu';
import { fmt } from './stats';

/** This file's topic and group names; set once its namespace is known. */
let names = new TopicNames();

export async function runStack(o: { brokers: string; postgresUrl: string; runs: number; partitions: number; say: (l: string) => void; pids: Record<string, number> }): Promise<void> {
  const namespace = `bench-stack-${randomUUID().slice(0, 8)}`;
  const stack = await startStack({
    kafkaBrokers: o.brokers,
    postgresUrl: o.postgresUrl,
    database: `weaver_bench_${namespace.slice(-8)}`,
    basePort: 31000,
    dataDir: mkdtempSync(join(tmpdir(), `weaver-${namespace}-`)),
    namespace,
    partitions: o.partitions,
    workflows: ['examples/content-pipeline/workflow.ts'],
    passwords: TEST_SERVICE_PASSWORDS,
    logLevel: 'warn',
  });
  try {
    const { apiKey } = await stack.createTenant('bench');
    names = new TopicNames(namespace);
    const logger = createLogger('bench-stack', { level: 'error' });
    const kafka = createKafka({ brokers: [o.brokers], clientId: 'bench-stack' });
    const done = new Set<string>();
    let failed = 0;
    let wake = (): void => undefined;
    const tail = new TopicTail(kafka, names.runs, (r) => {
      // The envelope's type is the progress kind (its payload is sealed: encryption is on).
      const env = decodeEnvelope(r);
      const kind = env.type;
      if (kind === 'run.completed') done.add(env.runId);
      if (kind === 'run.failed') failed++;
      wake();
    }, logger);
    await tail.start();
    const start = async (): Promise<string> => {
      const runId = randomUUID();
      const res = await fetch(`${stack.gatewayUrl}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ workflow: 'content-pipeline', runId, input: { topic: `bench ${runId}` } }) });
      if (res.status !== 202) throw new Error(`POST /v1/runs: ${res.status} ${await res.text()}`);
      return runId;
    };
    const until = async (ids: string[], timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!ids.every((id) => done.has(id))) {
        if (Date.now() > deadline) throw new Error(`six services: ${ids.filter((id) => !done.has(id)).length} runs not completed (${failed} failed)`);
        await new Promise<void>((r) => ((wake = r), setTimeout(r, 200)));
      }
    };
    await until(await Promise.all(Array.from({ length: 20 }, start)), 120_000); // warm-up
    const pids = Object.fromEntries(Object.entries(stack.services).flatMap(([name, svc]) => (svc.pid ? [[name, svc.pid]] : [])));
    const cpu = new CpuMeter({ ...pids, ...o.pids });
    cpu.begin();
    const t0 = Date.now();
    const ids: string[] = [];
    // Intake as fast as 32 concurrent clients can post.
    const queue = Array.from({ length: o.runs }, (_, i) => i);
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (queue.shift() !== undefined) ids.push(await start());
    }));
    const intakeS = (Date.now() - t0) / 1000;
    await until(ids, 600_000);
    const s = (Date.now() - t0) / 1000;
    o.say(`\nsix services (gateway REST intake, router billing every call, publisher storing results): ${o.runs} runs in ${fmt(s)} s = ${fmt((o.runs * 3) / s, 0)} steps/s (intake alone ${fmt(o.runs / intakeS, 0)} runs/s); ${failed} failed`);
    o.say(`  CPU: ${cpu.end(s)}`);
    await tail.stop();
  } finally {
    await stack.stop();
  }
}
