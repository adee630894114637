import { EnvelopeSealer, envelopeRecord, newEnvelope, type EventProducer, type OutboundRecord } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import type { OutboxClaim, PendingTrigger, TriggerOutbox } from '@weaver/runs';

/**
 * The id of a run's gateway trigger, derived from the run: every copy of one run's trigger (a
 * retry's, the relay's) is the same event, and so is the dispatcher's entry event, whose id is
 * `<trigger id>:entry`.
 */
export const gatewayTriggerId = (tenantId: string, runId: string): string => `gateway:${tenantId}:${runId}`;

export function triggerRecord(t: PendingTrigger, topic: string): OutboundRecord {
  const { tenantId, runId, workflow, input, classification, subjectId } = t;
  const trigger = newEnvelope({ id: gatewayTriggerId(tenantId, runId), tenantId, runId, workflow, type: 'run.requested', producer: 'gateway', payload: { input }, classification, subjectId: subjectId ?? undefined });
  return envelopeRecord(trigger, topic);
}

export interface TriggerSenderOptions {
  /**
   * The triggers topic for a tenant: the installation's (`TopicNames.triggers`), or for an
   * isolated-tier tenant its own (`TenantPlacements.namesFor(tenant).triggers`).
   */
  topicFor: (tenantId: string) => string | Promise<string>;
  /** How long a caller waits for the broker before it hears "not sent" (the send itself goes on). */
  sendTimeoutMs: number;
  /** How long a trigger whose send failed waits before the relay re-sends it. */
  retryAfterMs: number;
  logger?: Logger;
  /** Seals the triggers' payloads (default plaintext). */
  sealer?: EnvelopeSealer;
}

export type SendOutcome = { sent: true } | { sent: false; cause: string };

/** A held entry and the trigger to write for it. */
export interface HeldTrigger {
  claim: OutboxClaim;
  trigger: PendingTrigger;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Writes triggers whose outbox entries the caller holds, and settles the entries when the send
 * settles: `sent` (acknowledged in batches, off the caller's path) or `failed` (they wait for a
 * client's retry or the relay). A caller waits at most `sendTimeoutMs`; a send still running
 * then keeps its entries held until it settles, so nobody sends a second copy meanwhile.
 */
export class TriggerSender {
  private acks: OutboxClaim[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly outbox: TriggerOutbox,
    private readonly producer: EventProducer,
    readonly options: TriggerSenderOptions,
  ) {}

  async send(held: HeldTrigger[]): Promise<SendOutcome> {
    const claims = held.map((h) => h.claim);
    const sealer = this.options.sealer ?? new EnvelopeSealer();
    const settled = this.records(held).then((records) => sealer.sealRecords(records)).then((records) => this.producer.send(records)).then(
      (): SendOutcome => {
        this.acknowledge(claims);
        return { sent: true };
      },
      async (error: unknown): Promise<SendOutcome> => {
        const cause = error instanceof Error ? error.message : String(error);
        // Settled before the caller hears of it, so its immediate retry finds the entry waiting.
        await this.outbox.settle(claims, 'failed', { error: cause, retryAfterMs: this.options.retryAfterMs }).catch((e: unknown) => this.warn(e, 'could not record a failed trigger send (the lease will expire instead)'));
        return { sent: false, cause };
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.options.sendTimeoutMs);
    });
    try {
      const outcome = await Promise.race([settled, deadline]);
      if (outcome !== TIMED_OUT) return outcome;
      return { sent: false, cause: `Kafka did not acknowledge the trigger within ${this.options.sendTimeoutMs} ms (the send goes on in the background)` };
    } finally {
      clearTimeout(timer);
    }
  }

  /** One topic lookup per tenant of the batch (cached by the caller's `topicFor`). */
  private async records(held: HeldTrigger[]): Promise<OutboundRecord[]> {
    const topics = new Map<string, Promise<string>>();
    for (const { trigger } of held) if (!topics.has(trigger.tenantId)) topics.set(trigger.tenantId, Promise.resolve(this.options.topicFor(trigger.tenantId)));
    return Promise.all(held.map(async (h) => triggerRecord(h.trigger, await topics.get(h.trigger.tenantId)!)));
  }

  /** Writes the acknowledgements still queued (call after the servers stopped taking requests). */
  async close(): Promise<void> {
    while (this.flushing || this.acks.length) {
      this.flushing ??= this.flush();
      await this.flushing;
    }
  }

  /**
   * One DELETE per batch: while one is in flight the next acknowledgements queue up, so under
   * load many sends share a statement. A lost acknowledgement is harmless: the relay finds the
   * entry after its lease and drops it, the run being past `pending` by then.
   */
  private acknowledge(claims: OutboxClaim[]): void {
    this.acks.push(...claims);
    this.flushing ??= this.flush();
  }

  private async flush(): Promise<void> {
    try {
      while (this.acks.length) {
        const batch = this.acks;
        this.acks = [];
        await this.outbox.settle(batch, 'sent').catch((e: unknown) => this.warn(e, `could not acknowledge ${batch.length} sent trigger(s) (the relay will drop them)`));
      }
    } finally {
      this.flushing = null;
    }
  }

  private warn(error: unknown, message: string): void {
    this.options.logger?.warn({ err: error }, message);
  }
}
