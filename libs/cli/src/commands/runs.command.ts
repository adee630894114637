import { EXIT, usageError, type ExitCode } from '../cli-error';
import { formatRunsTable } from '../output/run-view';
import type { CommandContext } from './command-context';

export const MAX_RUNS_LIMIT = 500;

/** Parses `--limit`: a whole number from 1 to 500. */
export function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_RUNS_LIMIT) throw usageError('--limit', `must be a whole number from 1 to ${MAX_RUNS_LIMIT}, got "${value}"`);
  return n;
}

/** `weaver runs`: the tenant's recent runs, newest first. */
export async function runsCommand(ctx: CommandContext, flags: { limit: number }): Promise<ExitCode> {
  const runs = await ctx.gateway.listRuns(flags.limit);
  if (ctx.output.json) ctx.json({ runs });
  else ctx.out(formatRunsTable(runs, ctx.style));
  return EXIT.ok;
}
