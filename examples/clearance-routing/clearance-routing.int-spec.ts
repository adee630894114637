import { ExampleStack } from '../test/example-stack';
import { clearanceRouting } from './workflow';

describe('clearance-routing example (classification-aware routing between agents) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([clearanceRouting]));
  afterAll(() => stack.stop());

  const summarise = async (classification: string[]) => {
    const runId = await stack.trigger('clearance-routing', { title: 'Q3 plan', body: 'Revenue grows in EMEA.' }, { classification });
    let run = await stack.finished(runId);
    // The run completes with the summariser that took the document; the other one's decline is
    // its own consumer group's step and may be recorded a moment later: wait for it.
    for (const until = Date.now() + 30_000; run.steps.length < 3 && Date.now() < until; run = (await stack.store.getRun(stack.tenantId, runId))!) await new Promise((r) => setTimeout(r, 100));
    return { run, steps: Object.fromEntries(run.steps.map((s) => [s.step, s.status])) };
  };

  it('sends an internal document to the cloud summariser; the on-prem one declines it', async () => {
    const { run, steps } = await summarise(['internal']);
    expect(run).toMatchObject({ status: 'completed', result: { title: 'Q3 plan', handledBy: 'cloud-summariser' } });
    expect(steps).toEqual({ 'document-intake': 'completed', 'cloud-summariser': 'completed', 'onprem-summariser': 'skipped' });
  });

  it('keeps a confidential PII document on premises; the cloud summariser never sees it', async () => {
    const { run, steps } = await summarise(['confidential', 'pii']);
    expect(run).toMatchObject({ status: 'completed', result: { title: 'Q3 plan', handledBy: 'onprem-summariser' } });
    expect(steps).toEqual({ 'document-intake': 'completed', 'cloud-summariser': 'skipped', 'onprem-summariser': 'completed' });
  });
});
