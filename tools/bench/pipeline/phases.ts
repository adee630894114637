/**
 * The three load shapes, run the same way against each system:
 * - burst: N runs offered at once, steps/s until the last completes;
 * - unloaded: one run at a time, hop and end-to-end latency;
 * - open loop: runs at a fixed offered rate, latency measured from each run's *intended* send
 *   time (so a system that falls behind is charged for it: no coordinated omission).
 */
import { summarise, sleep, type PhaseResult } from './stats';
import type { RunClock } from './stats';

export interface Pipeline {
  clock: RunClock;
  send(count: number, sentAt?: (i: number) => number): Promise<string[]>;
}

export async function burst(p: Pipeline, runs: number, stepsPerRun: number): Promise<number> {
  const t0 = Date.now();
  const ids = await p.send(runs);
  await p.clock.waitFor(ids, 600_000);
  const last = Math.max(...ids.map((id) => p.clock.completedAt(id)!));
  return (runs * stepsPerRun) / ((last - t0) / 1000);
}

export async function unloaded(p: Pipeline, runs: number): Promise<Pick<PhaseResult, 'unloadedHop' | 'unloadedE2e'>> {
  const ids: string[] = [];
  for (let i = 0; i < runs; i++) {
    const [id] = await p.send(1);
    await p.clock.waitFor([id!], 60_000);
    ids.push(id!);
  }
  const { hops, e2e } = p.clock.latencies(ids);
  return { unloadedHop: summarise(hops), unloadedE2e: summarise(e2e) };
}

export async function openLoop(p: Pipeline, rate: number, seconds: number): Promise<PhaseResult['open'][number]> {
  const total = Math.round(rate * seconds);
  const start = Date.now() + 20;
  const intended = (i: number): number => start + (i * 1000) / rate;
  const ids: string[] = [];
  let sent = 0;
  while (sent < total) {
    const now = Date.now();
    let due = 0;
    while (sent + due < total && intended(sent + due) <= now) due++;
    if (due > 0) {
      const base = sent;
      ids.push(...(await p.send(due, (i) => intended(base + i))));
      sent += due;
    }
    if (sent < total) await sleep(Math.max(0, Math.min(5, intended(sent) - Date.now())));
  }
  const lastIntended = intended(total - 1);
  let completed = 0;
  try {
    await p.clock.waitFor(ids, 120_000);
  } catch {
    /* reported through `completed` below */
  }
  const doneTimes = ids.map((id) => p.clock.completedAt(id)).filter((t): t is number => t !== undefined);
  completed = doneTimes.length;
  const { hops, e2e } = p.clock.latencies(ids);
  return { rate, hop: summarise(hops), e2e: summarise(e2e), drainMs: Math.max(...doneTimes) - lastIntended, completed, offered: total };
}
