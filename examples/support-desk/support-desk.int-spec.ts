import { ExampleStack } from '../test/example-stack';
import { supportDesk } from './workflow';

describe('support-desk example (long-term, semantic and episodic memory across runs) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([supportDesk]));
  afterAll(() => stack.stop());

  it('recalls what a customer said in an earlier conversation, and only theirs', async () => {
    const first = await supportDesk.run({ customer: 'c-7', text: 'Hello. My plan is Pro and billing fails. I am in Lisbon.' }, { runner: stack.runner });
    expect(first).toMatchObject({ customer: 'c-7', visits: 1, recalled: [] });
    await supportDesk.run({ customer: 'c-8', text: 'My plan is Free.' }, { runner: stack.runner });
    const second = await supportDesk.run({ customer: 'c-7', text: 'What is my plan?' }, { runner: stack.runner });
    expect(second).toMatchObject({ customer: 'c-7', visits: 2 });
    expect((second as { recalled: string[] }).recalled).toContain('My plan is Pro and billing fails.');
    expect((second as { recalled: string[] }).recalled).not.toContain('My plan is Free.');
  });
});
