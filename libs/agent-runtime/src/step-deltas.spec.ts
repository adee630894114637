import { decodeEnvelope, payloadOf, TopicNames, type OutboundRecord } from '@weaver/messaging';
import { createLogger } from '@weaver/observability';
import { StepDeltas } from './step-deltas';
import type { RunProgressEvent } from './run-progress';

const scope = { tenantId: '5b0a3a8e-4f0b-4e8c-9d7e-0c1f2a3b4c5d', runId: 'run-1', workflow: 'wf', agent: 'writer', step: 'writer', classification: [] };
const events = (sent: OutboundRecord[][]) => sent.flat().map((r) => payloadOf(decodeEnvelope(r)) as RunProgressEvent);

describe('StepDeltas (streamed text as best-effort step.delta progress)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('coalesces pieces into one record per interval, sends at once past maxChars, and flushes on close', async () => {
    const sent: OutboundRecord[][] = [];
    const names = new TopicNames();
    const deltas = new StepDeltas(async (r) => void sent.push(r), names, createLogger('t', { level: 'silent' }), { intervalMs: 100, maxChars: 30 });
    const w = deltas.open(scope);
    for (const piece of ['Kafka ', 'orders ', 'records']) w.push(piece);
    expect(sent).toHaveLength(0); // nothing per token
    jest.advanceTimersByTime(100);
    expect(events(sent)).toEqual([{ kind: 'step.delta', step: 'writer', agent: 'writer', delta: 'Kafka orders records', seq: 1 }]);
    w.push(' per partition, and transactions'); // past maxChars: no wait
    expect(events(sent).map((e) => e.seq)).toEqual([1, 2]);
    w.push(' commit.');
    await w.close();
    expect(events(sent).map((e) => e.delta).join('')).toBe('Kafka orders records per partition, and transactions commit.');
    expect(sent.flat().every((r) => r.topic === names.runs && r.key === 'run-1')).toBe(true); // the run's partition, like its step.completed
  });

  it('is best-effort: a failed send is logged and dropped, never failing the step', async () => {
    const warn = jest.fn();
    const logger = { ...createLogger('t', { level: 'silent' }), warn } as unknown as ReturnType<typeof createLogger>;
    const w = new StepDeltas(async () => Promise.reject(new Error('broker away')), new TopicNames(), logger).open(scope);
    w.push('lost text');
    await expect(w.close()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: 'Error: broker away', runId: 'run-1' }), expect.stringContaining('best-effort'));
  });
});
