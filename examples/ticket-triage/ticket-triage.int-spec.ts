import { ExampleStack } from '../test/example-stack';
import { ticketTriage } from './workflow';

describe('ticket-triage example (content-based branching with this.publish) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([ticketTriage]));
  afterAll(() => stack.stop());

  const triage = async (subject: string, body: string) => {
    const steps: string[] = [];
    const result = await ticketTriage.run({ id: subject, subject, body }, { runner: stack.runner, onProgress: (p) => p.kind === 'step.completed' && steps.push(p.step!) });
    return { result, steps };
  };

  it('sends a crash report down the engineering branch only', async () => {
    expect(await triage('app crash', 'I get an exception on login')).toEqual({ result: { id: 'app crash', queue: 'engineering', answer: '[Open an engineering] I get an exception on login' }, steps: ['ticket-classifier', 'bug-handler'] });
  });

  it('sends a refund request down the billing branch only', async () => {
    expect((await triage('refund please', 'charged twice')).steps).toEqual(['ticket-classifier', 'billing-handler']);
  });

  it('asks the model when no rule matches (the scripted model answers neither BUG nor BILLING: a question)', async () => {
    expect((await triage('how do I export?', 'where is the export button')).steps).toEqual(['ticket-classifier', 'question-handler']);
  });
});
