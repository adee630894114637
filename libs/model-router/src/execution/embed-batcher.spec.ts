import type { EmbedRequest, ModelAdapter } from '@weaver/models';
import { EmbedBatcher, shareTokens } from './embed-batcher';

describe('shareTokens', () => {
  it('splits a total in proportion to the weights, in whole tokens that add up to the total', () => {
    expect(shareTokens(10, [1, 1, 2])).toEqual([3, 2, 5]);
    expect(shareTokens(7, [3])).toEqual([7]);
    expect(shareTokens(5, [0, 0])).toEqual([3, 2]);
    const shares = shareTokens(1001, [17, 4, 90, 33, 1]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1001);
  });
});

describe('EmbedBatcher', () => {
  const requests: string[][] = [];
  const adapter = {
    embed: async (r: EmbedRequest) => (requests.push(r.texts), { vectors: r.texts.map((t) => [t.length]), usage: { inputTokens: r.texts.join(' ').split(' ').length, outputTokens: 0 }, model: r.model }),
  } as unknown as ModelAdapter;

  beforeEach(() => (requests.length = 0));

  it('sends calls made together as one request and hands each its own vectors', async () => {
    const b = new EmbedBatcher({ lingerMs: 2 });
    const out = await Promise.all([b.embed('m', { adapter, providerModel: 'p', texts: ['a', 'bb'] }), b.embed('m', { adapter, providerModel: 'p', texts: ['ccc'] })]);
    expect(requests).toEqual([['a', 'bb', 'ccc']]);
    expect(out.map((o) => o.vectors)).toEqual([[[1], [2]], [[3]]]);
    expect(out[0]!.usage.inputTokens + out[1]!.usage.inputTokens).toBe(3);
    expect(b.requests).toBe(1);
  });

  it('splits a group over maxTexts into several requests, and does not coalesce with lingerMs 0', async () => {
    const b = new EmbedBatcher({ lingerMs: 2, maxTexts: 2 });
    await Promise.all(['a', 'b', 'c'].map((t) => b.embed('m', { adapter, providerModel: 'p', texts: [t] })));
    expect(requests.map((r) => r.length).reduce((a, n) => a + n, 0)).toBe(3);
    expect(Math.max(...requests.map((r) => r.length))).toBeLessThanOrEqual(2);
    requests.length = 0;
    const off = new EmbedBatcher({ lingerMs: 0 });
    await Promise.all(['a', 'b'].map((t) => off.embed('m', { adapter, providerModel: 'p', texts: [t] })));
    expect(requests).toEqual([['a'], ['b']]);
  });
});
