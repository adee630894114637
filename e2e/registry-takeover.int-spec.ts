import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type RunningStack, ServiceProcess, startTestStack } from '@weaver/stack';

interface Instance {
  instanceId: string;
  health: string;
  assignedPartitions: Array<{ topic: string; partition: number }>;
  takenOver: Array<{ partition: { topic: string; partition: number }; byInstanceId: string }>;
}
interface Agent {
  definition: { name: string };
  instances: Instance[];
  healthyInstances: number;
}

const RUNS = 300;

/**
 * Two agent-runners share the work (one consumer group per agent); one is SIGKILLed mid-run.
 * No step is lost or doubled, and the registry shows the dead instances and which survivor
 * took over their partitions.
 */
describe('agent-runner failover, as the registry sees it', () => {
  let stack: RunningStack & { namespace: string };
  let second: ServiceProcess;
  let db: Client;

  beforeAll(async () => {
    stack = await startTestStack('registry-takeover', {
      env: {
        registry: { INSTANCE_SUSPECT_AFTER_MS: '1500', INSTANCE_DEAD_AFTER_MS: '3000', HEALTH_SWEEP_INTERVAL_MS: '250' },
        'agent-runner': { HEARTBEAT_INTERVAL_MS: '300' },
      },
    });
    const first = stack.services['agent-runner'].spec;
    second = new ServiceProcess({ ...first, httpPort: first.httpPort + 10, grpcPort: first.grpcPort + 10, env: { ...first.env, INSTANCE_ID: 'runner-b' } }, `${process.env['TMPDIR'] ?? '/tmp'}`);
    second.start();
    await second.waitReady();
    const url = new URL(process.env['WEAVER_TEST_PG_URL']!);
    url.pathname = `/weaver_e2e_${stack.namespace.slice(4)}`;
    db = new Client({ connectionString: url.toString() });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await second?.kill();
    second?.close();
    await db?.end();
    await stack?.stop();
  });

  it('loses no step when a runner dies, and the registry shows it dead with its partitions taken over', async () => {
    const { apiKey, tenantId } = await stack.createTenant('failover');
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const agents = async (): Promise<Agent[]> => ((await (await fetch(`${stack.gatewayUrl}/v1/agents?capability=write`, { headers })).json()) as { agents: Agent[] }).agents;
    const writer = async () => (await agents()).find((a) => a.definition.name === 'writer')!;
    await waitFor(async () => (await writer()).healthyInstances === 2, 'two healthy writer instances');

    for (let i = 0; i < RUNS; i++) {
      await fetch(`${stack.gatewayUrl}/v1/runs`, { method: 'POST', headers, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: `failover ${i}` }, runId: randomUUID() }) });
    }
    const completed = async () => Number((await db.query(`SELECT count(*) AS n FROM runs.runs WHERE tenant_id = $1 AND status = 'completed'`, [tenantId])).rows[0].n);
    await waitFor(async () => (await completed()) >= RUNS / 10, 'some runs completed');
    const victim = (await writer()).instances.find((i) => i.instanceId.startsWith('runner-b.'))!;
    await second.kill();

    await waitFor(async () => (await writer()).instances.find((i) => i.instanceId === victim.instanceId)?.health === 'INSTANCE_HEALTH_DEAD', 'the killed instance marked dead');
    await waitFor(async () => {
      const dead = (await writer()).instances.find((i) => i.instanceId === victim.instanceId)!;
      return dead.takenOver.length > 0 && dead.takenOver.every((t) => !t.byInstanceId.startsWith('runner-b.'));
    }, 'its partitions reported by the survivor');
    await waitFor(async () => (await completed()) === RUNS, `all ${RUNS} runs completed`, 240_000);
    const steps = await db.query(`SELECT count(*) AS n, count(DISTINCT (run_id, step)) AS distinct_steps FROM runs.steps WHERE tenant_id = $1`, [tenantId]);
    expect(Number(steps.rows[0].n)).toBe(RUNS * 3);
    expect(Number(steps.rows[0].distinct_steps)).toBe(RUNS * 3);
  }, 400_000);
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
