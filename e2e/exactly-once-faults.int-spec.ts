import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createKafka, decodeEnvelope, envelopeRecord, EventProducer, newEnvelope, readTopicsToEnd, setTopicNamespace, Topics } from '@weaver/messaging';
import type { RunningStack } from '@weaver/stack';
import { startTestStack } from './stack-fixture';

const RUNS = Number(process.env['WEAVER_FAULT_RUNS'] ?? 10_000);
const KILL_AT = [0.1, 0.3, 0.5]; // fractions of completed runs at which the agent-runner is SIGKILLed
const say = (line: string): void => void process.stderr.write(`[exactly-once] ${line}\n`);

/**
 * The platform's central promise under faults: 10,000 runs of the three-agent pipeline, the
 * agent-runner killed with SIGKILL three times mid-stream and restarted, and afterwards a
 * read-committed consumer and the database each show exactly one result per step per run.
 */
describe('exactly-once agent steps under SIGKILL', () => {
  let stack: RunningStack & { namespace: string };
  let db: Client;

  beforeAll(async () => {
    stack = await startTestStack(29000, { partitions: 6 });
    setTopicNamespace(stack.namespace);
    const url = new URL(process.env['WEAVER_TEST_PG_URL']!);
    url.pathname = `/weaver_e2e_${stack.namespace.slice(4)}`;
    db = new Client({ connectionString: url.toString() }); // superuser: counts across RLS for the audit
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const completedRuns = async (tenantId: string): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM runs.runs WHERE tenant_id = $1 AND status = 'completed'`, [tenantId])).rows[0].n);

  it(`completes ${RUNS} runs with 0 lost and 0 duplicated steps across three SIGKILLs`, async () => {
    const { tenantId } = await stack.createTenant('faults');
    const kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'e2e-faults' });
    const producer = new EventProducer(kafka);
    const runIds = Array.from({ length: RUNS }, () => randomUUID());
    const started = Date.now();
    for (let i = 0; i < RUNS; i += 1_000) {
      await producer.send(
        runIds.slice(i, i + 1_000).map((runId, j) =>
          envelopeRecord(newEnvelope({ tenantId, runId, workflow: 'content-pipeline', type: 'run.requested', producer: 'e2e', payload: { input: { topic: `topic ${i + j}` } } }), Topics.triggers),
        ),
      );
    }
    await producer.disconnect();
    say(`${RUNS} triggers written in ${Date.now() - started} ms`);

    const runner = stack.services['agent-runner'];
    const kills: number[] = [];
    let ready = true;
    const deadline = Date.now() + 25 * 60_000;
    for (;;) {
      const done = await completedRuns(tenantId);
      // Kill only a runner that is up and working, so each kill lands mid-stream; the restarted
      // one takes up work while it is still starting, so progress is checked meanwhile.
      if (ready && kills.length < KILL_AT.length && done >= RUNS * KILL_AT[kills.length]!) {
        say(`SIGKILL agent-runner (pid ${runner.pid}) at ${done}/${RUNS} completed runs`);
        await runner.kill();
        kills.push(done);
        runner.start();
        ready = false;
        void runner.waitReady().then(() => {
          ready = true;
          say(`agent-runner restarted (pid ${runner.pid})`);
        });
      }
      if (done === RUNS) break;
      if (Date.now() > deadline) throw new Error(`only ${done}/${RUNS} runs completed in time`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - started) / 1000;
    say(`all ${RUNS} runs completed in ${seconds.toFixed(0)} s (${((RUNS * 3) / seconds).toFixed(0)} agent steps/s) with kills at ${kills.join(', ')}`);
    expect(kills).toHaveLength(3);
    expect(kills[2]).toBeLessThan(RUNS); // the last kill happened mid-stream (not after the end)

    // The database: every run completed, exactly one row per (run, step).
    const steps = await db.query(`SELECT step, count(*) AS n, count(DISTINCT run_id) AS runs FROM runs.steps WHERE tenant_id = $1 GROUP BY step ORDER BY step`, [tenantId]);
    expect(steps.rows.map((r: { step: string; n: string; runs: string }) => [r.step, Number(r.n), Number(r.runs)])).toEqual([
      ['researcher', RUNS, RUNS],
      ['reviewer', RUNS, RUNS],
      ['writer', RUNS, RUNS],
    ]);

    // Kafka, as a read-committed consumer sees it: each step's output event exactly once per run.
    const topics = ['content.requested', 'content.researched', 'content.drafted', 'content.reviewed'].map((t) => Topics.event(t));
    const records = await readTopicsToEnd(kafka, [...topics, Topics.runs], 300_000);
    const ours = new Set(runIds);
    const counts = new Map<string, number>();
    for (const r of records) {
      const env = decodeEnvelope(r);
      if (!ours.has(env.runId)) continue;
      const key = `${env.type}|${env.type.startsWith('step.') ? env.step || 'x' : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const perRun = `${env.runId}|${env.type}|${env.type === 'step.completed' ? (JSON.parse(Buffer.from(env.payload!).toString()) as { step: string }).step : ''}`;
      counts.set(perRun, (counts.get(perRun) ?? 0) + 1);
    }
    const duplicated = [...counts].filter(([k, n]) => k.split('|').length === 3 && n > 1);
    const perType = (type: string): number => [...counts].filter(([k]) => k.split('|').length === 3 && k.split('|')[1] === type).length;
    say(`read-committed audit: ${records.length} records; duplicated keys: ${duplicated.length}`);
    expect(duplicated).toEqual([]);
    for (const type of ['content.requested', 'content.researched', 'content.drafted', 'content.reviewed', 'run.started', 'run.completed']) {
      expect([type, perType(type)]).toEqual([type, RUNS]); // none lost
    }
    expect(perType('step.completed')).toBe(RUNS * 3);
  }, 30 * 60_000);
});
