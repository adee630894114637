import { scheduledRunId, WorkflowScheduler } from '@weaver/agent-runtime';
import { ScheduleTickStore } from '@weaver/runs';
import { ExampleStack } from '../test/example-stack';
import { dailyDigest, itemsOf } from './workflow';

describe('daily-digest example (a weekday schedule with its own input) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([dailyDigest]));
  afterAll(() => stack.stop());

  it('is declared with a weekday 07:00 UTC schedule carrying the team', () => {
    expect(dailyDigest.triggerList).toEqual([{ kind: 'schedule', cron: '0 7 * * 1-5', input: { team: 'platform' } }]);
  });

  it("fires at Tuesday's tick, exactly once across two schedulers, and digests Monday", async () => {
    const tick = new Date('2026-12-08T07:00:00Z'); // a Tuesday
    const offset = tick.getTime() - 600 - Date.now();
    const schedulers = ['runner-a', 'runner-b'].map(
      (instanceId) => new WorkflowScheduler({ workflows: [dailyDigest], claims: new ScheduleTickStore(stack.ds), kafka: stack.kafka, names: stack.names, tenants: [stack.tenantId], instanceId, logger: stack.logger, clock: () => Date.now() + offset }),
    );
    const runId = scheduledRunId(stack.tenantId, 'daily-digest', tick);
    const done = stack.notice((n) => n.runId === runId && n.kind === 'run.completed');
    await Promise.all(schedulers.map((s) => s.start()));
    await done;
    await Promise.all(schedulers.map((s) => s.stop()));
    const run = await stack.store.getRun(stack.tenantId, runId);
    expect(run).toMatchObject({ status: 'completed', input: { scheduledAt: '2026-12-08T07:00:00.000Z', team: 'platform' }, result: { team: 'platform', day: '2026-12-07', items: itemsOf('platform', '2026-12-07') } });
    // Two schedulers saw the tick; one claimed it.
    expect((await stack.store.listRuns(stack.tenantId)).filter((r) => r.workflow === 'daily-digest').map((r) => r.runId)).toEqual([runId]);
  });
});
