import { decodeEnvelope, EnvelopeSealer, payloadOf, type InboundRecord } from '@weaver/messaging';
import type { RunEventView } from './run-view';

type Listener = (event: RunEventView) => void;

/**
 * Fans run progress (`weaver.runs.v1`) out to live subscribers by (tenant, run). The tenant is
 * part of the key, so a subscriber never receives another tenant's events.
 */
export class RunEventsHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** `sealer` opens the progress payloads (sealed under the run's tenant key). */
  constructor(private readonly sealer: EnvelopeSealer = new EnvelopeSealer()) {}

  subscribe(tenantId: string, runId: string, listener: Listener): () => void {
    const key = `${tenantId}/${runId}`;
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** The TopicTail's callback. */
  onRecord = (record: InboundRecord): Promise<void> | void => {
    const { tenantId, runId } = decodeEnvelope(record);
    if (!this.listeners.has(`${tenantId}/${runId}`)) return; // the common case: nobody watches this run, nothing to open
    return this.sealer.openRecord(record).then((opened) => this.deliver(opened));
  };

  private deliver(record: InboundRecord): void {
    const env = decodeEnvelope(record);
    const set = this.listeners.get(`${env.tenantId}/${env.runId}`);
    if (!set) return;
    const body = payloadOf(env) as Omit<RunEventView, 'runId' | 'time'>;
    const event: RunEventView = { ...body, runId: env.runId, time: new Date(env.timeUnixMs).toISOString() };
    for (const listener of set) listener(event);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
