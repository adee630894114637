import { ValidationError } from '@weaver/errors';
import { groupUsage, parseUsageQuery } from './usage-query';

const violations = (q: Record<string, unknown>) => {
  try {
    parseUsageQuery(q);
  } catch (e) {
    return (e as ValidationError).violations;
  }
  throw new Error('no ValidationError');
};

describe('parseUsageQuery', () => {
  it('defaults to no range, grouped by workflow, agent and model', () => {
    expect(parseUsageQuery({})).toEqual({ from: undefined, to: undefined, groupBy: ['workflow', 'agent', 'model'] });
  });

  it('reads RFC 3339, dates and epoch milliseconds', () => {
    const q = parseUsageQuery({ from: '2026-12-01', to: '1796169600000', groupBy: 'model,agent' });
    expect(q.from?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(q.to?.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(q.groupBy).toEqual(['model', 'agent']);
  });

  it('names the field and the rule of every bad parameter', () => {
    expect(violations({ from: 'yesterday', groupBy: 'tenant' }).map((v) => v.field)).toEqual(['from', 'groupBy']);
    expect(violations({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toEqual([{ field: 'to', rule: 'must be after from' }]);
  });
});

describe('groupUsage', () => {
  it('sums the ledger rows over the dimensions not asked for', () => {
    const rows = [
      { workflow: 'w', agent: 'a', model: 'm1', requests: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.5 },
      { workflow: 'w', agent: 'b', model: 'm1', requests: 2, inputTokens: 20, outputTokens: 6, costUsd: 0.25 },
      { workflow: 'w', agent: 'b', model: 'm2', requests: 1, inputTokens: 1, outputTokens: 1, costUsd: 1 },
    ];
    expect(groupUsage(rows, ['model'])).toEqual([
      { model: 'm1', requests: 3, inputTokens: 30, outputTokens: 11, costUsd: 0.75 },
      { model: 'm2', requests: 1, inputTokens: 1, outputTokens: 1, costUsd: 1 },
    ]);
    expect(groupUsage(rows, [])).toEqual([{ requests: 4, inputTokens: 31, outputTokens: 12, costUsd: 1.75 }]);
  });
});
