import { EPHEMERAL_FROM, STACK_PORT_SPAN, TEST_STACK_PORTS } from './test-stack';

describe('TEST_STACK_PORTS', () => {
  it('gives every test stack its own range, below the ephemeral ports', () => {
    const ranges = Object.entries(TEST_STACK_PORTS).sort((a, b) => a[1] - b[1]);
    for (let i = 1; i < ranges.length; i++) {
      const [prev, at] = [ranges[i - 1]!, ranges[i]!];
      expect({ [`${prev[0]} ends before ${at[0]}`]: prev[1] + STACK_PORT_SPAN <= at[1] }).toEqual({ [`${prev[0]} ends before ${at[0]}`]: true });
    }
    expect(ranges.at(-1)![1] + STACK_PORT_SPAN).toBeLessThanOrEqual(EPHEMERAL_FROM);
  });
});
