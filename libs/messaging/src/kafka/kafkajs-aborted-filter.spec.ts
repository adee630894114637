/**
 * Proof of a kafkajs 2.2.4 read-committed bug and of our patch (patches/kafkajs+2.2.4.patch,
 * applied by `npm ci` through patch-package). Found by the exactly-once fault test: after a
 * SIGKILL, each partition the dead app wrote holds one aborted transaction per producer; when
 * several start close together, unpatched kafkajs moved only one of them into its "aborted"
 * set per message and handed records of the others to read-committed consumers. This test
 * fails on the unpatched file.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs' internal module, the unit that was wrong
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as (args: {
  messages: Message[];
  abortedTransactions: Array<{ producerId: string; firstOffset: string }>;
}) => Message[];

interface Message {
  offset: string;
  key: Buffer | null;
  value: string;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

const record = (offset: number, producerId: string, value: string, key = Buffer.from('k')): Message => ({ offset: String(offset), key, value, isControlRecord: false, batchContext: { producerId, inTransaction: true } });
const marker = (type: 0 | 1) => (offset: number, producerId: string): Message => ({ offset: String(offset), key: Buffer.from([0, 0, 0, type]), value: '', isControlRecord: true, batchContext: { producerId, inTransaction: true } });
const abortMarker = marker(0);
const commitMarker = marker(1);

describe('kafkajs read-committed filtering (patched)', () => {
  it('drops every aborted transaction when several start before the next record', () => {
    // Producers 7 and 8 each wrote into this partition and were aborted (their app crashed);
    // producer 9 committed. The fetch starts at 102, inside both aborted transactions.
    const messages = [record(102, '8', 'aborted-8'), record(103, '9', 'committed-9'), record(104, '7', 'aborted-7'), abortMarker(105, '7'), abortMarker(106, '8'), commitMarker(107, '9')];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '7', firstOffset: '100' }, { producerId: '8', firstOffset: '101' }] })
      .filter((m) => m.value)
      .map((m) => m.value);
    expect(kept).toEqual(['committed-9']);
  });

  it('handles the aborted list out of offset order and the same producer aborting twice', () => {
    const messages = [record(10, '1', 'a1'), abortMarker(11, '1'), record(12, '1', 'c1'), commitMarker(13, '1'), record(14, '2', 'a2'), record(15, '1', 'a3'), abortMarker(16, '2'), abortMarker(17, '1')];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '1', firstOffset: '15' }, { producerId: '2', firstOffset: '14' }, { producerId: '1', firstOffset: '10' }] })
      .filter((m) => m.value)
      .map((m) => m.value);
    expect(kept).toEqual(['c1']);
  });

  it('ends an aborted transaction only at a control record, not at a data record keyed like a marker', () => {
    // Producer 3's aborted transaction holds a data record whose key is four zero bytes (the
    // ABORT marker's key); the rest of that transaction must stay hidden.
    const messages = [record(20, '3', 'a-1'), record(21, '3', 'a-zero-key', Buffer.from([0, 0, 0, 0])), record(22, '3', 'a-2'), abortMarker(23, '3'), record(24, '3', 'c-1'), commitMarker(25, '3')];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '3', firstOffset: '20' }] })
      .filter((m) => m.value)
      .map((m) => m.value);
    expect(kept).toEqual(['c-1']);
  });

  it('keeps later committed transactions of a producer id after its ABORT marker (same transactional id, bumped epoch)', () => {
    // A fenced/killed owner's transaction aborted by the new owner (same producer id), which then
    // commits; a second aborted transaction of the id follows. Only the committed records pass.
    const messages = [record(30, '5', 'zombie'), abortMarker(31, '5'), record(32, '5', 'owner-1'), commitMarker(33, '5'), record(34, '5', 'aborted-again'), abortMarker(35, '5'), record(36, '5', 'owner-2'), commitMarker(37, '5')];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '5', firstOffset: '34' }, { producerId: '5', firstOffset: '30' }] })
      .filter((m) => m.value)
      .map((m) => m.value);
    expect(kept).toEqual(['owner-1', 'owner-2']);
  });
});
