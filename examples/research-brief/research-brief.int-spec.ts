import { ExampleStack } from '../test/example-stack';
import { researchBrief } from './workflow';

describe('research-brief example (fan-out to three scouts, fan-in by a join) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([researchBrief]));
  afterAll(() => stack.stop());

  it('plans, runs the three scouts on the same plan, and joins their findings into one brief', async () => {
    const steps: string[] = [];
    const brief = await researchBrief.run({ company: 'Acme', question: 'should we enter the EU market?' }, { runner: stack.runner, onProgress: (p) => p.kind === 'step.completed' && steps.push(p.step!) });
    const notes = '[You research the] Acme: should we enter the EU market?';
    expect(brief).toEqual({ company: 'Acme', sections: ['market', 'tech', 'risk'].map((angle) => ({ angle, notes })), words: 3 * notes.split(' ').length });
    // The planner first, the editor last, the scouts in between in any order (they run in parallel).
    expect(steps[0]).toBe('brief-planner');
    expect(steps.at(-1)).toBe('brief-editor');
    expect(steps.slice(1, 4).sort()).toEqual(['market-scout', 'risk-scout', 'tech-scout']);
  });

  it('refuses a question without a company, naming the field', async () => {
    await expect(researchBrief.run({ company: '', question: 'q' }, { runner: stack.runner })).rejects.toMatchObject({ step: 'brief-planner', reason: expect.stringContaining('input.company') });
  });
});
