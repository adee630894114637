/**
 * The work queue between watch events and reconciles, as controllers keep one: a key (a
 * pool's namespace/name) is queued at most once, never reconciled by two workers at once (an
 * event during its reconcile queues it again for after), and a failed key comes back after a
 * full-jitter exponential backoff, reset by its next success.
 */
import { backoffMs } from '@weaver/resilience';

export interface QueueOptions {
  concurrency: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** What a unit of work asks for: nothing more, a look again after a while, or a retry with backoff. */
export type WorkResult = { next: 'done' } | { next: 'after'; ms: number } | { next: 'retry' };

export class ReconcileQueue {
  private readonly queued = new Set<string>();
  private readonly order: string[] = [];
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly work: (key: string) => Promise<WorkResult>,
    private readonly opts: QueueOptions,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.order.push(key);
    this.pump();
  }

  /** Queues `key` after `ms` (a sooner `add` still runs it sooner). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Keys waiting or running. */
  get size(): number {
    return this.queued.size + this.active.size;
  }

  /** Stops taking work; resolves when the reconciles under way have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.order.length = 0;
    this.queued.clear();
    await Promise.all(this.running.values());
  }

  private pump(): void {
    while (this.active.size < this.opts.concurrency && this.order.length > 0) {
      const key = this.order.shift()!;
      this.queued.delete(key);
      this.active.add(key);
      const run: Promise<void> = this.run(key).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  private async run(key: string): Promise<void> {
    let result: WorkResult;
    try {
      result = await this.work(key);
    } catch {
      result = { next: 'retry' };
    }
    this.active.delete(key);
    if (result.next === 'retry') {
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      this.addAfter(key, backoffMs(attempt, { baseMs: this.opts.retryBaseMs, maxMs: this.opts.retryMaxMs }));
    } else {
      this.failures.delete(key);
      if (result.next === 'after') this.addAfter(key, result.ms);
    }
    if (this.dirty.delete(key)) this.add(key);
    this.pump();
  }
}
