import { FailedPreconditionError } from '@weaver/errors';
import type { RunStatus } from './run.types';

/**
 * The life of a trigger the gateway has recorded but not yet seen on Kafka (`runs.trigger_outbox`).
 *
 * - `sending`: one sender (the intake request, a client's retry, or the relay) holds the entry
 *   while its send is in flight, until `due_at` (its lease). A lease that ran out means the
 *   sender died mid-send, so anyone may take the entry again.
 * - `waiting`: the last send failed; the relay re-sends at `due_at`, a client's retry at once.
 * - `gone`: the entry is deleted — the broker acknowledged the trigger, or the run left
 *   `pending` (the dispatcher already took an earlier copy, or the run ended).
 *
 * A trigger is therefore written at least once, and a second copy can only appear when a send
 * that was reported failed had in fact landed; the trigger's id derives from its run, so the
 * dispatcher (idempotent by run id, entry event id derived from the trigger id) absorbs it.
 */
export type OutboxState = 'sending' | 'waiting';
export type OutboxEvent = 'sent' | 'failed' | 'claimed' | 'run-left-pending';

export const OUTBOX_TRANSITIONS: Readonly<Record<OutboxState, Readonly<Partial<Record<OutboxEvent, OutboxState | 'gone'>>>>> = {
  // `claimed` from `sending` is legal only once the lease ran out (see `claimable`).
  sending: { sent: 'gone', failed: 'waiting', claimed: 'sending', 'run-left-pending': 'gone' },
  waiting: { claimed: 'sending', 'run-left-pending': 'gone' },
};

export function nextOutboxState(from: OutboxState, event: OutboxEvent): OutboxState | 'gone' {
  const to = OUTBOX_TRANSITIONS[from][event];
  if (!to) throw new FailedPreconditionError(`trigger outbox: "${event}" is not allowed in state "${from}"`);
  return to;
}

export interface OutboxEntry {
  tenantId: string;
  runId: string;
  state: OutboxState;
  /** Whether `due_at` has passed, by the database's clock (one clock for every replica). */
  due: boolean;
  /** Sends started so far; also the version a claim compares and sets. */
  attempts: number;
  lastError: string | null;
}

/** Who wants to send an entry's trigger: a client resubmitting the run, or the background relay. */
export type OutboxSender = 'resubmission' | 'relay';

/**
 * Whether `by` may take the entry now. A send in flight is never doubled while its lease holds;
 * a waiting entry is the relay's only when due, but a client's retry need not wait for the
 * relay's backoff. (`TriggerOutbox.claimDue` is the relay's rule as SQL: `due_at <= now()`.)
 */
export function claimable(entry: Pick<OutboxEntry, 'state' | 'due'>, by: OutboxSender): boolean {
  if (entry.state === 'sending') return entry.due;
  return by === 'resubmission' || entry.due;
}

export type Resubmission =
  /** Nothing to send: the trigger is on Kafka (no entry) or the run is past `pending`. */
  | { action: 'none' }
  /** The run moved on although an entry remained (an acknowledgement was lost): delete it. */
  | { action: 'drop'; entry: OutboxEntry }
  /** Repeat the send (claim the entry first). */
  | { action: 'send'; entry: OutboxEntry }
  /** Another sender's send is in flight: the client should retry later. */
  | { action: 'busy'; entry: OutboxEntry };

/** What a resubmission of an existing run (same run id) does about its trigger. */
export function onResubmission(status: RunStatus, entry: OutboxEntry | undefined): Resubmission {
  if (!entry) return { action: 'none' };
  if (status !== 'pending') return { action: 'drop', entry };
  return claimable(entry, 'resubmission') ? { action: 'send', entry } : { action: 'busy', entry };
}
