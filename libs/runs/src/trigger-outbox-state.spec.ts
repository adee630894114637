import { claimable, nextOutboxState, onResubmission, OUTBOX_TRANSITIONS, type OutboxEntry } from './trigger-outbox-state';

const entry = (over: Partial<OutboxEntry>): OutboxEntry => ({ tenantId: 't', runId: 'r', state: 'waiting', due: false, attempts: 1, lastError: null, ...over });

describe('trigger outbox state machine', () => {
  it('moves a sent trigger out of the outbox, a failed one to waiting, and takes a waiting one back to sending', () => {
    expect(nextOutboxState('sending', 'sent')).toBe('gone');
    expect(nextOutboxState('sending', 'failed')).toBe('waiting');
    expect(nextOutboxState('waiting', 'claimed')).toBe('sending');
    expect(nextOutboxState('waiting', 'run-left-pending')).toBe('gone');
    expect(nextOutboxState('sending', 'run-left-pending')).toBe('gone');
  });

  it('refuses what no sender can do: settle a send nobody holds', () => {
    expect(() => nextOutboxState('waiting', 'sent')).toThrow('trigger outbox: "sent" is not allowed in state "waiting"');
    expect(() => nextOutboxState('waiting', 'failed')).toThrow('"failed" is not allowed in state "waiting"');
    expect(Object.keys(OUTBOX_TRANSITIONS).sort()).toEqual(['sending', 'waiting']);
  });

  it('never doubles a send in flight while its lease holds, for anyone', () => {
    expect(claimable(entry({ state: 'sending', due: false }), 'resubmission')).toBe(false);
    expect(claimable(entry({ state: 'sending', due: false }), 'relay')).toBe(false);
    // The lease ran out: the sender died mid-send, so the entry is anyone's.
    expect(claimable(entry({ state: 'sending', due: true }), 'resubmission')).toBe(true);
    expect(claimable(entry({ state: 'sending', due: true }), 'relay')).toBe(true);
  });

  it("lets a client's retry take a waiting trigger at once, the relay only when its backoff ended", () => {
    expect(claimable(entry({ state: 'waiting', due: false }), 'resubmission')).toBe(true);
    expect(claimable(entry({ state: 'waiting', due: false }), 'relay')).toBe(false);
    expect(claimable(entry({ state: 'waiting', due: true }), 'relay')).toBe(true);
  });

  it('decides what a resubmission with the same run id does about the trigger', () => {
    const waiting = entry({ state: 'waiting', lastError: 'broker down' });
    const inFlight = entry({ state: 'sending', due: false });
    expect(onResubmission('pending', undefined)).toEqual({ action: 'none' }); // on Kafka, not yet dispatched
    expect(onResubmission('running', undefined)).toEqual({ action: 'none' });
    expect(onResubmission('pending', waiting)).toEqual({ action: 'send', entry: waiting });
    expect(onResubmission('pending', inFlight)).toEqual({ action: 'busy', entry: inFlight });
    // An acknowledgement was lost but the dispatcher took the trigger: nothing to send, clean up.
    expect(onResubmission('running', waiting)).toEqual({ action: 'drop', entry: waiting });
    expect(onResubmission('completed', inFlight)).toEqual({ action: 'drop', entry: inFlight });
  });
});
