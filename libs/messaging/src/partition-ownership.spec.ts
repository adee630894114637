import { classifyCommitFailure, IllegalOwnershipTransition, OWNERSHIP_TRANSITIONS, PartitionOwnership } from './partition-ownership';

describe('PartitionOwnership', () => {
  it('follows the table: fencing → active ⇄ committing, then one terminal state', () => {
    const o = new PartitionOwnership();
    expect(o.state).toBe('fencing');
    o.to('active');
    o.to('committing');
    o.to('active');
    o.to('committing');
    o.to('fenced');
    expect(o.ended).toBe(true);
    expect(() => o.to('fencing')).toThrow(IllegalOwnershipTransition);
  });

  it('never leaves fenced, failed or revoked (a stale owner cannot fence its successor)', () => {
    for (const terminal of ['fenced', 'failed', 'revoked'] as const) expect(OWNERSHIP_TRANSITIONS[terminal]).toEqual([]);
    const o = new PartitionOwnership();
    o.to('active');
    expect(() => o.to('failed')).toThrow('partition owner cannot go from active to failed');
  });
});

describe('classifyCommitFailure', () => {
  const protocol = (type: string) => Object.assign(new Error(type), { type, name: 'KafkaJSProtocolError' });

  it('tells a newer owner (fenced) from a broken producer from records the broker refuses from anything else', () => {
    expect(classifyCommitFailure(protocol('INVALID_PRODUCER_EPOCH'))).toBe('fenced');
    expect(classifyCommitFailure(protocol('PRODUCER_FENCED'))).toBe('fenced');
    expect(classifyCommitFailure(protocol('MESSAGE_TOO_LARGE'))).toBe('record');
    expect(classifyCommitFailure(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe('producer');
    expect(classifyCommitFailure(new Error('The broker received an out of order sequence number'))).toBe('producer');
    expect(classifyCommitFailure(protocol('CONCURRENT_TRANSACTIONS'))).toBe('transient');
    expect(classifyCommitFailure(new Error('Connection closed'))).toBe('transient');
  });

  it('looks through wrappers (kafkajs retries wrap the protocol error as its cause)', () => {
    const wrapped = Object.assign(new Error('retries exhausted'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: protocol('INVALID_PRODUCER_EPOCH') });
    expect(classifyCommitFailure(wrapped)).toBe('fenced');
    expect(classifyCommitFailure(new Error('The request included a message larger than the max message size the server will accept'))).toBe('record');
  });
});
