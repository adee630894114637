import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataKeyCache, DataKeyStore, EnvelopeCipher, LocalKms } from '@weaver/crypto';
import { createKafka, decodeEnvelope, envelopeRecord, EnvelopeSealer, EventProducer, newEnvelope, readTopicsToEnd, TopicNames } from '@weaver/messaging';
import { createDataSource } from '@weaver/persistence';

import { type RunningBroker, type RunningStack, type ServiceProcess, startBroker, startTestStack } from '@weaver/stack';

/** This file's topic and group names; set once its namespace is known. */
let names = new TopicNames();

/**
 * Runs of the content pipeline. CI runs 2,000 (the file stays within ~6 minutes on 2 cores);
 * WEAVER_FAULT_RUNS=10000 is the full size the faults were first found at.
 */
const RUNS = Number(process.env['WEAVER_FAULT_RUNS'] ?? 2_000);
/** This file kills its broker, so it runs its own (not the test run's shared one) on this port. */
const BROKER_PORT = Number(process.env['WEAVER_FAULT_KAFKA_PORT'] ?? 29390 + Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0));
const SESSION_TIMEOUT_MS = 10_000; // EosProcessor's consumer session timeout
const say = (line: string): void => void process.stderr.write(`[exactly-once] ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The platform's central promise under faults: runs of the three-agent pipeline on TWO
 * agent-runner replicas while, one after another, a replica is frozen (SIGSTOP) past its
 * consumer session timeout and resumed — its partitions move, and its in-flight transactions
 * must be fenced — the broker is SIGKILLed and restarted, each replica is SIGKILLed and
 * restarted, and the other replica is frozen too. Afterwards a read-committed consumer of every
 * output topic and the database each show exactly one result per step per run.
 */
describe('exactly-once agent steps under SIGKILL, SIGSTOP and a broker crash', () => {
  let stack: RunningStack & { namespace: string };
  let broker: RunningBroker;
  let brokerDir: string;
  let db: Client;

  beforeAll(async () => {
    brokerDir = mkdtempSync(join(tmpdir(), 'weaver-faults-kafka-'));
    broker = await startBroker({ dataDir: brokerDir, port: BROKER_PORT });
    stack = await startTestStack('exactly-once-faults', { partitions: 6, runnerReplicas: 2, kafkaBrokers: broker.brokers });
    names = new TopicNames(stack.namespace);
    const url = new URL(process.env['WEAVER_TEST_PG_URL']!);
    url.pathname = `/weaver_e2e_${stack.namespace.slice(4)}`;
    db = new Client({ connectionString: url.toString() }); // superuser: counts across RLS for the audit
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    for (const r of stack?.runners ?? []) r.resume(); // never leave a frozen process behind
    await stack?.stop();
    await broker?.stop();
  }, 120_000);

  const completedRuns = async (tenantId: string): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM runs.runs WHERE tenant_id = $1 AND status = 'completed'`, [tenantId])).rows[0].n);

  /** SIGKILL and restart, waiting until the new process is ready. */
  const crash = async (runner: ServiceProcess): Promise<void> => {
    await runner.kill();
    runner.start();
    await runner.waitReady(180_000);
  };
  /** SIGSTOP past the session timeout (the group moves its partitions away), then SIGCONT. */
  const freeze = async (runner: ServiceProcess, ms: number): Promise<void> => {
    runner.pause();
    await sleep(ms);
    runner.resume();
  };
  const restartBroker = async (): Promise<void> => {
    process.kill(broker.pid, 'SIGKILL');
    while (isAlive(broker.pid)) await sleep(50);
    broker = await startBroker({ dataDir: brokerDir, port: BROKER_PORT });
  };

  it(`completes ${RUNS} runs on two runners with 0 lost and 0 duplicated steps across SIGSTOPs, SIGKILLs and a broker crash`, async () => {
    const [first, second] = stack.runners as [ServiceProcess, ServiceProcess];
    // Each fault starts when this fraction of the runs completed and the previous fault is over.
    const faults: Array<{ at: number; name: string; run: () => Promise<void> }> = [
      { at: 0.05, name: `SIGSTOP agent-runner 1 for ${2 * SESSION_TIMEOUT_MS} ms, then SIGCONT`, run: () => freeze(first, 2 * SESSION_TIMEOUT_MS) },
      { at: 0.15, name: 'SIGKILL the broker, restart it', run: restartBroker },
      { at: 0.25, name: 'SIGKILL agent-runner 1, restart it', run: () => crash(first) },
      { at: 0.35, name: 'SIGKILL agent-runner 2, restart it', run: () => crash(second) },
      { at: 0.45, name: `SIGSTOP agent-runner 2 for ${1.5 * SESSION_TIMEOUT_MS} ms, then SIGCONT`, run: () => freeze(second, 1.5 * SESSION_TIMEOUT_MS) },
    ];
    const { tenantId } = await stack.createTenant('faults');
    const kafka = createKafka({ brokers: [broker.brokers], clientId: 'e2e-faults' });
    const producer = new EventProducer(kafka);
    const runIds = Array.from({ length: RUNS }, () => randomUUID());
    const started = Date.now();
    // Triggers are fed while the faults run, at most 20 % of the runs outstanding and none while
    // a fault is being injected: written all at once, a healthy runner finished every run during
    // the first 20 s SIGSTOP (the pipeline got that fast), and the later faults hit nothing.
    const injected: number[] = [];
    let done = 0;
    let written = 0;
    let faulting = false;
    const chunk = Math.max(1, Math.round(RUNS * 0.05));
    const feeding = (async () => {
      while (written < RUNS) {
        if (faulting || written - done >= RUNS * 0.2) {
          await sleep(100);
          continue;
        }
        const ids = runIds.slice(written, written + chunk);
        await producer.send(
          ids.map((runId, j) =>
            envelopeRecord(newEnvelope({ tenantId, runId, workflow: 'content-pipeline', type: 'run.requested', producer: 'e2e', payload: { input: { topic: `topic ${written + j}` } } }), names.triggers),
          ),
        );
        written += ids.length;
      }
      await producer.disconnect();
      say(`${RUNS} triggers written in ${Date.now() - started} ms`);
    })();
    const injecting = (async () => {
      for (const fault of faults) {
        while (done < RUNS * fault.at) await sleep(200);
        if (done >= RUNS) return;
        say(`${fault.name} at ${done}/${RUNS} completed runs`);
        injected.push(done);
        faulting = true;
        await fault.run();
        faulting = false;
        say(`${fault.name}: recovered`);
      }
    })();
    const deadline = Date.now() + 25 * 60_000;
    for (;;) {
      done = await completedRuns(tenantId).catch(() => done);
      if (done === RUNS) break;
      if (Date.now() > deadline) throw new Error(`only ${done}/${RUNS} runs completed in time`);
      await sleep(500);
    }
    await Promise.all([injecting, feeding]);
    const seconds = (Date.now() - started) / 1000;
    say(`all ${RUNS} runs completed in ${seconds.toFixed(0)} s (${((RUNS * 3) / seconds).toFixed(0)} agent steps/s) with faults at ${injected.join(', ')}`);
    // Every fault landed mid-stream (not after the end): raise WEAVER_FAULT_RUNS if this fails.
    expect(injected).toHaveLength(faults.length);
    expect(injected[faults.length - 1]).toBeLessThan(RUNS);

    // The database: every run completed, exactly one row per (run, step).
    const steps = await db.query(`SELECT step, count(*) AS n, count(DISTINCT run_id) AS runs FROM runs.steps WHERE tenant_id = $1 GROUP BY step ORDER BY step`, [tenantId]);
    expect(steps.rows.map((r: { step: string; n: string; runs: string }) => [r.step, Number(r.n), Number(r.runs)])).toEqual([
      ['researcher', RUNS, RUNS],
      ['reviewer', RUNS, RUNS],
      ['writer', RUNS, RUNS],
    ]);

    // Kafka, as a read-committed consumer sees it: each step's output event exactly once per run.
    const topics = ['content.requested', 'content.researched', 'content.drafted', 'content.reviewed'].map((t) => names.event(t));
    const records = await readTopicsToEnd(kafka, [...topics, names.runs], 300_000);
    const ours = new Set<string>(runIds);
    const counts = new Map<string, number>();
    // Payloads are sealed per tenant: the audit opens them with the stack's keyring.
    const keys = await createDataSource({ url: stack.ownerUrl, schema: 'keys', poolSize: 2 }).initialize();
    const sealer = new EnvelopeSealer(new EnvelopeCipher(new DataKeyCache(new DataKeyStore(keys), LocalKms.open(stack.keyringFile))));
    for (const r of records) {
      if (!ours.has(decodeEnvelope(r).runId)) continue;
      const env = decodeEnvelope(await sealer.openRecord(r));
      if (!ours.has(env.runId)) continue;
      const key = `${env.type}|${env.type.startsWith('step.') ? env.step || 'x' : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const perRun = `${env.runId}|${env.type}|${env.type === 'step.completed' ? (JSON.parse(Buffer.from(env.payload!).toString()) as { step: string }).step : ''}`;
      counts.set(perRun, (counts.get(perRun) ?? 0) + 1);
    }
    const duplicated = [...counts].filter(([k, n]) => k.split('|').length === 3 && n > 1);
    const perType = (type: string): number => [...counts].filter(([k]) => k.split('|').length === 3 && k.split('|')[1] === type).length;
    await keys.destroy();
    const lost = ['content.requested', 'content.researched', 'content.drafted', 'content.reviewed', 'run.started', 'run.completed'].map((t) => `${t} ${RUNS - perType(t)}`);
    say(`read-committed audit: ${records.length} records; duplicated keys: ${duplicated.length}; lost: ${lost.join(', ')}, step.completed ${RUNS * 3 - perType('step.completed')}`);
    expect(duplicated).toEqual([]);
    for (const type of ['content.requested', 'content.researched', 'content.drafted', 'content.reviewed']) {
      // Counted by a second reader too: librdkafka (kcat, read_committed), the suite's oracle
      // (libs/messaging/test/read-committed-oracle). Event records are keyed by run id, so its keys
      // are the runs. Seen once in CI (issue 12): the kafkajs audit above short by 25 on
      // content.reviewed while the same transactions' step.completed and run.completed were all
      // there; the oracle decides, and the audit line above shows any disagreement.
      expect([type, oracleRuns(broker.brokers, names.event(type), ours, say)]).toEqual([type, RUNS]); // none lost
    }
    for (const type of ['run.started', 'run.completed']) expect([type, perType(type)]).toEqual([type, RUNS]); // none lost
    expect(perType('step.completed')).toBe(RUNS * 3);
  }, 30 * 60_000);
});

/**
 * How many of `ours` have a record on `topic` as librdkafka reads it committed, each exactly once
 * (a run seen twice fails). kcat prints each record's key (the run id) on its own line.
 */
function oracleRuns(brokers: string, topic: string, ours: ReadonlySet<string>, say: (m: string) => void): number {
  const out = execFileSync('kcat', ['-b', brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%k\\n'], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
  const counts = new Map<string, number>();
  for (const key of out.split('\n')) if (ours.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  say(`kcat (read_committed) on ${topic}: ${counts.size} runs, ${twice.length} seen twice`);
  expect(twice).toEqual([]);
  return counts.size;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
