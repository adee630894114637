import { scheduledRunId, WorkflowScheduler } from '@weaver/agent-runtime';
import { ScheduleTickStore } from '@weaver/runs';
import { ExampleStack } from '../test/example-stack';
import { salesOf } from './sales-source';
import { quarterlyReport } from './workflow';

describe('quarterly-report example (collector → analyst → writer, schedule:quarterly) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([quarterlyReport]));
  afterAll(() => stack.stop());

  it('is declared with a quarterly schedule', () => {
    expect(quarterlyReport.triggerList).toEqual([{ kind: 'schedule', cron: '0 0 1 1,4,7,10 *', input: undefined }]);
    expect(quarterlyReport.agents.map((a) => a.name)).toEqual(['sales-collector', 'sales-analyst', 'report-writer']);
  });

  it('starts a run at the turn of the quarter and writes the report on the quarter that ended', async () => {
    // The scheduler's clock stands 600 ms before 1 July 2026, 00:00 UTC.
    const tick = new Date('2026-07-01T00:00:00Z');
    const offset = tick.getTime() - 600 - Date.now();
    const scheduler = new WorkflowScheduler({
      workflows: [quarterlyReport],
      claims: new ScheduleTickStore(stack.ds),
      kafka: stack.kafka,
      names: stack.names,
      tenants: [stack.tenantId],
      instanceId: 'examples-test',
      logger: stack.logger,
      clock: () => Date.now() + offset,
    });
    const runId = scheduledRunId(stack.tenantId, 'quarterly-report', tick);
    const done = stack.notice((n) => n.runId === runId && n.kind === 'run.completed');
    await scheduler.start();
    await done;
    await scheduler.stop();
    const run = await stack.store.getRun(stack.tenantId, runId);
    const total = salesOf('2026-Q2').reduce((sum, r) => sum + r.amount, 0);
    expect(run).toMatchObject({ status: 'completed', input: { scheduledAt: '2026-07-01T00:00:00.000Z' }, result: { quarter: '2026-Q2', title: 'Sales report 2026-Q2', total } });
    expect(run?.steps.map((s) => s.step)).toEqual(['sales-collector', 'sales-analyst', 'report-writer']);
  });

  it('also runs on demand for a named quarter', async () => {
    const report = await quarterlyReport.run({ quarter: '2025-Q4' }, { runner: stack.runner });
    expect(report).toMatchObject({ quarter: '2025-Q4', title: 'Sales report 2025-Q4', body: expect.stringContaining('Quarter 2025-Q4') });
  });
});
