import { ExampleStack } from '../test/example-stack';
import { clearanceRouting } from './workflow';

describe('clearance-routing example (classification-aware routing between agents) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([clearanceRouting]));
  afterAll(() => stack.stop());

  const summarise = async (classification: string[]) => {
    const run = await stack.finished(await stack.trigger('clearance-routing', { title: 'Q3 plan', body: 'Revenue grows in EMEA.' }, { classification }));
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
