/**
 * Group commit, generically: callers submit one operation each and await its own result;
 * operations of one key that arrive while earlier groups are in flight are handed to `execute`
 * together. There is no artificial wait — an operation that finds a free slot goes at once, so
 * an idle system keeps its latency and a busy one batches itself.
 *
 * Used where a round trip costs more than the work: PostgreSQL writes (TenantBatcher, one
 * transaction per tenant group) and Kafka sends (EventProducer, one produce request per group).
 *
 * With `lingerMs`, a group waits up to that long after its first operation for others (or
 * until `maxBatch` is reached): for work whose cost is per request rather than per round trip
 * in flight, such as a provider's embedding call (the router's EmbedBatcher).
 */
export interface CoalescerOptions {
  /** Groups in flight at once, across keys (default 4). */
  maxInFlight?: number;
  /**
   * Groups of one key in flight at once (default: no limit but maxInFlight). With 1, a key's
   * operations that arrive while its group is in flight wait and go together in its next one —
   * bigger groups, fewer round trips per operation; and groups that would queue on one lock
   * anyway (a tenant's budget row) do not each hold a connection to do it — while other keys'
   * groups still run side by side.
   */
  maxInFlightPerKey?: number;
  /** Operations per group (default 500). */
  maxBatch?: number;
  /**
   * When a group's `execute` throws, run each of its operations again alone, so one bad
   * operation fails by itself instead of taking its neighbours with it (default false).
   */
  isolateFailures?: boolean;
  /**
   * How long a key's first queued operation waits for others before its group goes (default 0:
   * at once). Bounded on purpose: a caller's added latency is at most this, and a full group
   * (`maxBatch`) goes without waiting.
   */
  lingerMs?: number;
}

/** Returned by `execute` in an operation's place: that operation fails with `error`, the others of its group do not. */
export class OperationFailed {
  constructor(readonly error: unknown) {}
}

interface Pending<Op, Result> {
  op: Op;
  resolve: (r: Result) => void;
  reject: (e: unknown) => void;
}

export class Coalescer<Op, Result> {
  private readonly queues = new Map<string, Pending<Op, Result>[]>();
  private inFlight = 0;
  private readonly keyInFlight = new Map<string, number>();
  private readonly maxInFlight: number;
  private readonly maxPerKey: number;
  private readonly maxBatch: number;
  private readonly isolateFailures: boolean;
  private readonly lingerMs: number;
  /** When each queue's oldest operation arrived (only with lingerMs). */
  private readonly since = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /**
   * `execute` returns one result (or `OperationFailed`) per operation, in order; if it throws,
   * every operation of the group fails with that error.
   */
  constructor(
    private readonly execute: (key: string, ops: Op[]) => Promise<Array<Result | OperationFailed>>,
    opts: CoalescerOptions = {},
  ) {
    this.maxInFlight = opts.maxInFlight ?? 4;
    this.maxPerKey = opts.maxInFlightPerKey ?? Number.POSITIVE_INFINITY;
    this.maxBatch = opts.maxBatch ?? 500;
    this.isolateFailures = opts.isolateFailures ?? false;
    this.lingerMs = opts.lingerMs ?? 0;
  }

  /** Operations waiting for a group (not in flight). */
  get queued(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  submit(key: string, op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ op, resolve, reject });
      this.queues.set(key, queue);
      if (this.lingerMs > 0 && !this.since.has(key)) this.since.set(key, performance.now());
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight) {
      const next = this.nextKey();
      if (!next) return;
      const [key, queue] = next;
      const group = queue.splice(0, this.maxBatch);
      this.queues.delete(key);
      this.since.delete(key);
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      if (queue.length) {
        this.queues.set(key, queue);
        // The rest arrived while the group was filling: they have lingered enough already.
        if (this.lingerMs > 0) this.since.set(key, performance.now() - this.lingerMs);
      }
      this.inFlight++;
      this.keyInFlight.set(key, (this.keyInFlight.get(key) ?? 0) + 1);
      void this.run(key, group).finally(() => {
        this.inFlight--;
        const left = (this.keyInFlight.get(key) ?? 1) - 1;
        if (left > 0) this.keyInFlight.set(key, left);
        else this.keyInFlight.delete(key);
        this.pump();
      });
    }
  }

  /** Oldest key first (a Map keeps insertion order), so no key waits behind a busy one; keys at their limit wait. */
  private nextKey(): [string, Pending<Op, Result>[]] | undefined {
    for (const entry of this.queues) if ((this.keyInFlight.get(entry[0]) ?? 0) < this.maxPerKey && this.ripe(entry[0], entry[1].length)) return entry;
    return undefined;
  }

  /** Without linger every queue is ripe; with it, once full or once its oldest op has waited lingerMs (a timer pumps then). */
  private ripe(key: string, length: number): boolean {
    if (this.lingerMs <= 0 || length >= this.maxBatch) return true;
    const waited = performance.now() - (this.since.get(key) ?? 0);
    if (waited >= this.lingerMs) return true;
    if (!this.timers.has(key)) {
      // Not unref'd: an operation waits on it, and it is at most lingerMs.
      const t = setTimeout(() => {
        this.timers.delete(key);
        this.pump();
      }, this.lingerMs - waited);
      this.timers.set(key, t);
    }
    return false;
  }

  private async run(key: string, group: Pending<Op, Result>[]): Promise<void> {
    try {
      const results = await this.executeIsolated(key, group.map((p) => p.op));
      group.forEach((p, i) => {
        const r = results[i];
        if (r instanceof OperationFailed) p.reject(r.error);
        else p.resolve(r as Result);
      });
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  private async executeIsolated(key: string, ops: Op[]): Promise<Array<Result | OperationFailed>> {
    try {
      return await this.execute(key, ops);
    } catch (error) {
      if (!this.isolateFailures || ops.length === 1) throw error;
      const results: Array<Result | OperationFailed> = [];
      for (const op of ops) results.push(await this.execute(key, [op]).then((r) => r[0]!, (e: unknown) => new OperationFailed(e)));
      return results;
    }
  }
}
