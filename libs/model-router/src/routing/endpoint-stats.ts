/**
 * Live per-model statistics the latency and load policies read: an exponentially weighted
 * moving average of call latency, calls in flight, and a rate-limit cool-down set from a
 * provider's Retry-After.
 */
export class EndpointStats {
  private readonly latency = new Map<string, number>();
  private readonly inflight = new Map<string, number>();
  private readonly coolUntil = new Map<string, number>();

  constructor(private readonly alpha = 0.2) {}

  observeLatency(model: string, ms: number): void {
    const prev = this.latency.get(model);
    this.latency.set(model, prev === undefined ? ms : prev + this.alpha * (ms - prev));
  }

  /** Unknown models read as 0, so a new model gets traffic and a measurement. */
  latencyOf(model: string): number {
    return this.latency.get(model) ?? 0;
  }

  begin(model: string): () => void {
    this.inflight.set(model, (this.inflight.get(model) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inflight.set(model, (this.inflight.get(model) ?? 1) - 1);
    };
  }

  inflightOf(model: string): number {
    return this.inflight.get(model) ?? 0;
  }

  coolDown(model: string, ms: number, now = Date.now()): void {
    this.coolUntil.set(model, Math.max(this.coolUntil.get(model) ?? 0, now + ms));
  }

  isCooling(model: string, now = Date.now()): boolean {
    return (this.coolUntil.get(model) ?? 0) > now;
  }
}
