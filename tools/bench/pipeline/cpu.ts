/**
 * CPU seconds used by the processes a phase involves (this process, the broker, PostgreSQL and
 * its backends, redis-server), read from /proc: the first cut of "where does a step's time go"
 * on a machine where everything shares two cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function statOf(pid: number): { ppid: number; cpu: number } | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICK };
  } catch {
    return undefined;
  }
}

/** CPU seconds of `pid` and every descendant still alive. */
function treeCpu(pid: number): number {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const p of all) {
    const s = statOf(p);
    if (!s) continue;
    cpu.set(p, s.cpu);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), p]);
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += cpu.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

export class CpuMeter {
  private start: Record<string, number> = {};
  constructor(private readonly pids: Record<string, number>) {}

  begin(): void {
    this.start = Object.fromEntries(Object.entries(this.pids).map(([k, p]) => [k, treeCpu(p)]));
  }

  /** CPU seconds per process since `begin`, e.g. "node 9.1 s, kafka 5.2 s, postgres 1.0 s". */
  end(wallSeconds: number): string {
    return Object.entries(this.pids)
      .map(([k, p]) => `${k} ${(treeCpu(p) - (this.start[k] ?? 0)).toFixed(1)} s (${(((treeCpu(p) - (this.start[k] ?? 0)) / wallSeconds) * 100).toFixed(0)} % of a core)`)
      .join(', ');
  }
}
