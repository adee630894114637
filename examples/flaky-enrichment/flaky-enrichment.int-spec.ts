import { DlqHeaders, readTopicsUntil } from '@weaver/messaging';
import { RunFailedError } from '@weaver/sdk';
import { ExampleStack } from '../test/example-stack';
import { enrichmentApi, flakyEnrichment } from './workflow';

describe('flaky-enrichment example (retries with backoff, then the dead-letter topic) on the real broker and database', () => {
  const stack = new ExampleStack(); // two attempts per step (its retry settings)
  beforeAll(() => stack.start([flakyEnrichment]));
  afterAll(() => stack.stop());

  it('survives a transient failure: the second attempt succeeds and the run completes', async () => {
    const lead = await flakyEnrichment.run({ email: 'ana@acme.test', company: 'acme' }, { runner: stack.runner });
    expect(lead).toEqual({ email: 'ana@acme.test', company: 'acme', employees: 400 });
    expect(enrichmentApi.calls.get('acme')).toBe(2);
  });

  it('dead-letters a permanent failure after the last attempt; the run fails naming the step', async () => {
    const error = await flakyEnrichment.run({ email: 'bo@x.test', company: 'unknown-co' }, { runner: stack.runner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect(error).toMatchObject({ step: 'lead-enricher' });
    expect(enrichmentApi.calls.get('unknown-co')).toBe(2);
    const group = stack.names.group('weaver.agent.lead-enricher');
    const [letter] = await readTopicsUntil(stack.kafka, [stack.names.dlq(group)], (rs) => rs.length > 0);
    expect(letter?.headers[DlqHeaders.attempts]).toBe('2');
    expect(letter?.headers[DlqHeaders.errorMessage]).toContain('404 no such company');
  });

  it('does not retry input that fails its schema (a ValidationError is final)', async () => {
    const before = enrichmentApi.calls.size;
    await expect(flakyEnrichment.run({ email: 'not-an-email', company: 'x' }, { runner: stack.runner })).rejects.toMatchObject({ reason: expect.stringContaining('input.email') });
    expect(enrichmentApi.calls.size).toBe(before);
  });
});
