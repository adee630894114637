import { ExampleStack } from '../test/example-stack';
import { hastyReindex, nightlyReindex } from './workflow';

describe('nightly-reindex example (a long-running step under its own time limit) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([nightlyReindex, hastyReindex]));
  afterAll(() => stack.stop());

  it('runs a multi-batch step to the end and reports it', async () => {
    const report = await nightlyReindex.run({ collection: 'kb', documents: 12_000, msPerBatch: 250 }, { runner: stack.runner });
    expect(report).toEqual({ collection: 'kb', batches: 12, indexed: 12_000, summary: '[Summarise the reindex.] kb: 12000 documents in 12 batches' });
  });

  it('fails a step that outlives its timeoutMs, naming the limit, after its retries', async () => {
    await expect(hastyReindex.run({ collection: 'kb', documents: 5_000, msPerBatch: 250 }, { runner: stack.runner })).rejects.toMatchObject({ step: 'hasty-reindexer', reason: expect.stringMatching(/300 ?ms/) });
  });
});
