/**
 * The life of one owner of one input partition, as a transition table (the way kafkajs' own
 * transaction manager keeps its states):
 *
 *   fencing ──► active ◄──► committing
 *      │          │            │
 *      ├──────────┴────────────┼──► revoked   (assignment moved away, or the processor stops)
 *      ├───────────────────────┼──► fenced    (another owner initialised our transactional id)
 *      └───────────────────────┴──► failed    (the producer is unusable: it could not abort)
 *
 * `fenced`, `revoked` and `failed` are terminal for the owner object. Only the processor makes a
 * new owner, and only from the consumer group's say: after `fenced` or `revoked` at the next
 * assignment that gives this process the partition again; after `failed` once the group still
 * assigns it the partition after a pause long enough for a stale member to learn it was
 * replaced. A former owner therefore never re-fences the member that replaced it — which is
 * what re-initialising after every failed commit did.
 */
export type OwnershipState = 'fencing' | 'active' | 'committing' | 'failed' | 'fenced' | 'revoked';

export const OWNERSHIP_TRANSITIONS: Readonly<Record<OwnershipState, readonly OwnershipState[]>> = {
  fencing: ['active', 'failed', 'fenced', 'revoked'],
  active: ['committing', 'revoked'],
  committing: ['active', 'failed', 'fenced', 'revoked'],
  failed: [],
  fenced: [],
  revoked: [],
};

export class IllegalOwnershipTransition extends Error {
  constructor(
    readonly from: OwnershipState,
    readonly to: OwnershipState,
  ) {
    super(`partition owner cannot go from ${from} to ${to}`);
  }
}

export class PartitionOwnership {
  private current: OwnershipState = 'fencing';

  get state(): OwnershipState {
    return this.current;
  }

  /** No more commits from this owner. */
  get ended(): boolean {
    return OWNERSHIP_TRANSITIONS[this.current].length === 0;
  }

  to(next: OwnershipState): void {
    if (!OWNERSHIP_TRANSITIONS[this.current].includes(next)) throw new IllegalOwnershipTransition(this.current, next);
    this.current = next;
  }
}

/**
 * What a failed commit means for the owner: `fenced` (a newer owner exists), `producer` (this
 * producer's idempotence state is broken — only a new producer id fixes it), `record` (the
 * records themselves are refused), or `transient`.
 */
export type CommitFailure = 'fenced' | 'producer' | 'record' | 'transient';

const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_TXN_STATE']);
/** The broker lost track of this producer's sequence numbers: every later send would fail the same way. */
const PRODUCER_TYPES = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'DUPLICATE_SEQUENCE_NUMBER', 'INVALID_PRODUCER_ID_MAPPING']);
/** Errors caused by the records themselves: retrying the same records cannot succeed. */
const RECORD_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP', 'UNSUPPORTED_FOR_MESSAGE_FORMAT']);

/** Classifies a kafkajs error (walking wrapped causes): fenced, caused by the records, or transient. */
export function classifyCommitFailure(error: unknown): CommitFailure {
  for (let e = error as { type?: string; name?: string; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.type && FENCED_TYPES.has(e.type)) return 'fenced';
    if (e.type && PRODUCER_TYPES.has(e.type)) return 'producer';
    if (e.type && RECORD_TYPES.has(e.type)) return 'record';
    if (e.name === 'RecordTooLargeError') return 'record';
    e = (e.cause ?? e.originalError) as typeof e;
  }
  // kafkajs sometimes re-wraps a protocol error without its type; its message survives.
  const text = String((error as Error | undefined)?.message ?? error);
  if (/producer.*(fenced|epoch)|epoch.*(invalid|fenced)/i.test(text)) return 'fenced';
  if (/out of order sequence|unknown producer id/i.test(text)) return 'producer';
  if (/too large|larger than the max/i.test(text)) return 'record';
  return 'transient';
}
