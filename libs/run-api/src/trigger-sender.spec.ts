import { decodeEnvelope, payloadOf, type EventProducer, type OutboundRecord } from '@weaver/messaging';
import type { OutboxClaim, TriggerOutbox } from '@weaver/runs';
import { gatewayTriggerId, triggerRecord, TriggerSender, type HeldTrigger } from './trigger-sender';

/** The outbox as the sender uses it: only `settle`, recorded. */
class RecordingOutbox {
  readonly settled: Array<{ event: string; runs: string[]; error?: string }> = [];
  gate: Promise<void> = Promise.resolve();
  async settle(claims: OutboxClaim[], event: string, failure?: { error: string }): Promise<void> {
    await this.gate;
    this.settled.push({ event, runs: claims.map((c) => c.runId), ...(failure ? { error: failure.error } : {}) });
  }
}

const tick = () => new Promise((r) => setImmediate(r));

/** A producer whose sends the test resolves or rejects. */
class ControlledProducer {
  readonly sent: OutboundRecord[][] = [];
  private readonly pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  send(records: OutboundRecord[]): Promise<void> {
    this.sent.push(records);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  /** Settles the oldest send, once it was made (the sender looks the topic up first). */
  async settleNext(error?: Error): Promise<void> {
    while (this.pending.length === 0) await tick();
    const next = this.pending.shift()!;
    if (error) next.reject(error);
    else next.resolve();
  }
}

const held = (runId: string): HeldTrigger => ({
  claim: { tenantId: '00000000-0000-4000-8000-000000000001', runId, attempts: 1 },
  trigger: { tenantId: '00000000-0000-4000-8000-000000000001', runId, workflow: 'wf', input: { n: runId }, classification: [] },
});

function setup(sendTimeoutMs = 5_000) {
  const outbox = new RecordingOutbox();
  const producer = new ControlledProducer();
  const sender = new TriggerSender(outbox as unknown as TriggerOutbox, producer as unknown as EventProducer, { topicFor: () => 'weaver.triggers.v1', sendTimeoutMs, retryAfterMs: 1_000 });
  return { outbox, producer, sender };
}

describe('TriggerSender', () => {
  it('gives every copy of a run\'s trigger the id derived from the run, and the recorded content', () => {
    const a = decodeEnvelope(triggerRecord(held('r1').trigger, 'weaver.triggers.v1'));
    const b = decodeEnvelope(triggerRecord(held('r1').trigger, 'weaver.triggers.v1'));
    expect(a.id).toBe(gatewayTriggerId('00000000-0000-4000-8000-000000000001', 'r1'));
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ type: 'run.requested', runId: 'r1', workflow: 'wf', producer: 'gateway' });
    expect(payloadOf(a)).toEqual({ input: { n: 'r1' } });
  });

  it('reports a sent trigger and acknowledges it off the caller\'s path, batching acknowledgements that queue meanwhile', async () => {
    const { outbox, producer, sender } = setup();
    let release!: () => void;
    outbox.gate = new Promise((r) => (release = r)); // the first acknowledgement's DELETE is slow
    const first = sender.send([held('r1')]);
    await producer.settleNext();
    expect(await first).toEqual({ sent: true });
    const later = [sender.send([held('r2')]), sender.send([held('r3')])];
    await producer.settleNext();
    await producer.settleNext();
    expect(await Promise.all(later)).toEqual([{ sent: true }, { sent: true }]);
    release();
    await sender.close();
    expect(outbox.settled).toEqual([
      { event: 'sent', runs: ['r1'] },
      { event: 'sent', runs: ['r2', 'r3'] },
    ]);
  });

  it('records a failed send as waiting, with its cause, before the caller hears "not sent"', async () => {
    const { outbox, producer, sender } = setup();
    const outcome = sender.send([held('r1'), held('r2')]);
    await producer.settleNext(new Error('This server does not host this topic-partition'));
    expect(await outcome).toEqual({ sent: false, cause: 'This server does not host this topic-partition' });
    expect(outbox.settled).toEqual([{ event: 'failed', runs: ['r1', 'r2'], error: 'This server does not host this topic-partition' }]);
  });

  it('answers "not sent" at the deadline but keeps the entry held until the send settles', async () => {
    const { outbox, producer, sender } = setup(20);
    expect(await sender.send([held('r1')])).toEqual({ sent: false, cause: 'Kafka did not acknowledge the trigger within 20 ms (the send goes on in the background)' });
    expect(outbox.settled).toEqual([]); // nobody may take it while the send may still land
    await producer.settleNext();
    await tick();
    await sender.close();
    expect(outbox.settled).toEqual([{ event: 'sent', runs: ['r1'] }]);
  });
});
