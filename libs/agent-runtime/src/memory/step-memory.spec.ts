import { ResourceExhaustedError, ValidationError } from '@weaver/errors';
import { llmClientFrom, MEMORY_DEFAULTS } from '@weaver/sdk/internal';
import { wordVector } from '@weaver/testing';
import { StepMemory } from './step-memory';

const scope = { tenantId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-0000000000aa', agent: 'writer', at: new Date('2026-01-01T00:00:00Z') };
let embedCalls = 0;
const llm = llmClientFrom({
  generate: async () => {
    throw new Error('not used');
  },
  embed: async (req) => ((embedCalls += 1), { vectors: req.input.map((t) => wordVector(t, 16)), model: 'w', usage: { inputTokens: 1 }, costUsd: 0, replayed: false }),
});
/** Nothing stored yet: every read misses (the database side has its int-spec). */
const empty = { get: async () => undefined, keys: async () => ['stored'], recall: async () => [], episodes: async () => [], facts: async () => [] };
const noIndex = { search: async () => [], forget: () => undefined };

const memory = (spec = MEMORY_DEFAULTS) => new StepMemory(scope, spec, llm, empty, noIndex);

describe('StepMemory (the step overlay)', () => {
  it('reads its own writes at once and hands them to the step record with sizes and expiry', async () => {
    const m = memory();
    const value = { n: 1 };
    await m.set('draft', value);
    value.n = 2; // a later change by the agent is not what was written
    expect(await m.get('draft')).toEqual({ n: 1 });
    await m.longTerm.set('style', 'terse');
    await m.longTerm.delete('old');
    await m.longTerm.set('nothing', null); // JSON null is a value, not a delete
    expect(await m.longTerm.get('nothing')).toBeNull();
    expect(await m.longTerm.get('old')).toBeUndefined();
    expect(await m.shortTerm.keys()).toEqual(['draft', 'stored']);
    const w = m.writes(['internal'])!;
    expect(w.shortTerm).toEqual([{ key: 'draft', value: { n: 1 }, bytes: 'draft'.length + '{"n":1}'.length, expiresAt: new Date(scope.at.getTime() + 60 * 60_000) }]);
    expect(w.longTerm).toEqual([{ key: 'style', value: 'terse', bytes: 5 + 7 }, { key: 'old', value: null, deleted: true, bytes: 0 }, { key: 'nothing', value: null, bytes: 7 + 4 }]);
    expect(w.caps).toEqual({ shortTermItems: 100, longTermBytes: 1024 ** 3, episodicItems: 10_000, semanticBytes: 1024 ** 3 }); // the plan's defaults (Memory())
  });

  it('writes nothing for a step that used no memory (no extra work with the step record)', () => {
    expect(memory().writes(['internal'])).toBeUndefined();
  });

  it('embeds through the step client and finds its own unsaved facts and episodes', async () => {
    const m = memory();
    embedCalls = 0;
    await m.semantic.remember(['the sky is blue', { text: 'grass is green', metadata: { source: 'eyes' } }]);
    expect(embedCalls).toBe(1); // one request for the batch of facts
    const hits = await m.semantic.search('what colour is grass', { k: 1 });
    expect(hits).toEqual([{ id: 'pending:1', text: 'grass is green', metadata: { source: 'eyes' }, score: expect.any(Number) }]);
    await m.episodic.record('met alice', { where: 'office' });
    expect(await m.episodic.recall()).toEqual([{ id: 'pending:0', text: 'met alice', data: { where: 'office' }, at: scope.at }]);
    expect(await m.episodic.recall({ since: new Date('2027-01-01') })).toEqual([]);
    expect((await m.episodic.similar('alice', { k: 1 }))[0]).toMatchObject({ text: 'met alice' });
    expect(m.writes(['internal'])!.facts.map((f) => [f.text, f.dims, f.bytes])).toEqual([
      ['the sky is blue', 16, 15 + 2 + 64],
      ['grass is green', 16, 14 + '{"source":"eyes"}'.length + 64],
    ]);
  });

  it('refuses bad writes naming the field and rule, and an item bigger than its whole limit naming the limit', async () => {
    const m = memory({ ...MEMORY_DEFAULTS, longTerm: { maxBytes: 10 }, semantic: { maxBytes: 50 } });
    await expect(m.set('x', undefined)).rejects.toThrow(ValidationError);
    await expect(m.set('x', undefined)).rejects.toThrow('memory.shortTerm.x: must be a JSON value (not undefined)');
    await expect(m.set('', 1)).rejects.toThrow('memory.shortTerm.key: must be a non-empty string');
    await expect(m.longTerm.set('big', 'x'.repeat(20))).rejects.toThrow(ResourceExhaustedError);
    await expect(m.longTerm.set('big', 'x'.repeat(20))).rejects.toThrow('long-term memory item "big" is 25 bytes, more than the whole longTerm.maxBytes limit of 10 bytes');
    await expect(m.semantic.remember('a fact long enough to pass fifty bytes once embedded')).rejects.toThrow('semantic.maxBytes');
    await expect(m.semantic.remember(['  '])).rejects.toThrow('memory.semantic[0]: must be a non-empty string');
    expect(m.writes(['internal'])).toBeUndefined();
  });

  it('raises the step to the classification of every stored item it reads, and labels its writes', async () => {
    const raised: string[][] = [];
    const stored = {
      ...empty,
      get: async () => ({ value: 'kept', classification: ['confidential', 'pii'] }),
      recall: async () => [{ id: 7n, at: new Date('2025-12-31T00:00:00Z'), text: 'met Ada', classification: ['restricted'] }],
    };
    const m = new StepMemory({ ...scope, raise: (c) => raised.push([...c]) }, MEMORY_DEFAULTS, llm, stored, noIndex);
    expect(await m.longTerm.get('style')).toBe('kept');
    const episodes = await m.episodic.recall();
    expect(episodes).toEqual([{ id: '7', at: new Date('2025-12-31T00:00:00Z'), text: 'met Ada' }]); // labels are not the agent's data
    expect(raised).toEqual([['confidential', 'pii'], ['restricted']]);
    await m.set('draft', 1);
    expect(m.writes(['restricted', 'pii'])!.classification).toEqual(['restricted', 'pii']);
  });
});
