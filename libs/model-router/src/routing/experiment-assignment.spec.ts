import { assignArm } from './experiment-assignment';

const exp = [{ name: 'writer-ab', workflow: 'content', agent: 'writer', arms: [
  { name: 'control', model: 'a', weight: 70 },
  { name: 'treatment', model: 'b', weight: 30 },
] }];

describe('assignArm', () => {
  it('keeps each arm within 4 standard deviations of its weight over 10,000 runs', () => {
    const n = 10_000;
    let treatment = 0;
    for (let i = 0; i < n; i++) if (assignArm(exp, 'content', 'writer', `run-${i}`)?.arm === 'treatment') treatment++;
    const sd = Math.sqrt(n * 0.3 * 0.7); // binomial
    expect(Math.abs(treatment - n * 0.3)).toBeLessThan(4 * sd);
  });

  it('is sticky per run: every step of a run gets the same arm', () => {
    for (let i = 0; i < 50; i++) {
      const first = assignArm(exp, 'content', 'writer', `run-${i}`);
      expect(assignArm(exp, 'content', 'writer', `run-${i}`)).toEqual(first);
    }
  });

  it('applies only to the matching workflow and agent', () => {
    expect(assignArm(exp, 'other', 'writer', 'r')).toBeUndefined();
    expect(assignArm(exp, 'content', 'reviewer', 'r')).toBeUndefined();
  });
});
