/** Percentiles and the small printing helpers the pipeline benchmark shares. */
export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1] ?? Number.NaN };
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** What each system reports, so Weaver and its peer print side by side with their ratio. */
export interface PhaseResult {
  burstStepsPerSec: number;
  unloadedHop: Summary;
  unloadedE2e: Summary;
  open: Array<{ rate: number; hop: Summary; e2e: Summary; drainMs: number; completed: number; offered: number }>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Tracks runs by id: when each one was (meant to be) sent and when each of its steps was seen
 * done. Both systems feed it; `waitFor` resolves once the given runs all completed.
 */
export class RunClock {
  private readonly sent = new Map<string, number>();
  private readonly steps = new Map<string, number[]>();
  private readonly done = new Map<string, number>();
  private readonly startAt = new Map<string, number>();
  /** Each waiter counts its runs still open, so a completion costs O(waiters), not O(runs). */
  private waiters: Array<{ open: Set<string>; resolve: () => void }> = [];

  constructor(private readonly stepsPerRun: number) {}

  markSent(id: string, at: number): void {
    this.sent.set(id, at);
  }

  /** A step of the run seen done (in order); the last one completes the run. */
  markStep(id: string, at: number): void {
    const list = this.steps.get(id) ?? [];
    list.push(at);
    this.steps.set(id, list);
    if (list.length === this.stepsPerRun) {
      this.done.set(id, at);
      this.waiters = this.waiters.filter((w) => {
        w.open.delete(id);
        if (w.open.size > 0) return true;
        w.resolve();
        return false;
      });
    }
  }

  /** The start of the first hop: e.g. Weaver's "run started" (dispatcher), BullMQ's enqueue. */
  markStart(id: string, at: number): void {
    this.steps.set(id, []);
    this.startAt.set(id, at);
  }

  waitFor(ids: string[], timeoutMs: number): Promise<void> {
    if (ids.every((i) => this.done.has(i))) return Promise.resolve();
    const open = new Set(ids.filter((i) => !this.done.has(i)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out: ${open.size} of ${ids.length} runs not complete`)), timeoutMs);
      this.waiters.push({ open, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  completedAt(id: string): number | undefined {
    return this.done.get(id);
  }

  /** Hop latencies (each step from the previous one, the first from its start) and end-to-end from `sent`. */
  latencies(ids: string[]): { hops: number[]; e2e: number[] } {
    const hops: number[] = [];
    const e2e: number[] = [];
    for (const id of ids) {
      const steps = this.steps.get(id) ?? [];
      let prev = this.startAt.get(id) ?? this.sent.get(id);
      for (const t of steps) {
        if (prev !== undefined) hops.push(t - prev);
        prev = t;
      }
      const sent = this.sent.get(id);
      const done = this.done.get(id);
      if (sent !== undefined && done !== undefined) e2e.push(done - sent);
    }
    return { hops, e2e };
  }
}
