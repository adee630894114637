import { EXIT, type ExitCode } from '../cli-error';
import { isTerminal } from '../gateway/gateway-api';
import { formatEventLine, formatTimeline } from '../output/run-view';
import type { CommandContext } from './command-context';
import { watchRun } from './run-watch';

/**
 * `weaver logs <run>`: the run's timeline (each step, agent, status, duration). With --follow,
 * then its events as they happen until the run ends (NDJSON with --json), exiting 1 if the
 * run failed, so a script can wait on a run.
 */
export async function logsCommand(ctx: CommandContext, runId: string, flags: { follow?: boolean }): Promise<ExitCode> {
  if (!flags.follow) {
    const run = await ctx.gateway.getRun(runId);
    if (ctx.output.json) ctx.json({ run });
    else ctx.out(formatTimeline(run, ctx.style));
    return EXIT.ok;
  }
  let shownTimeline = false;
  try {
    const run = await watchRun(ctx.gateway, runId, (event) => {
      if (ctx.output.json) return ctx.json(event);
      // The first snapshot is the timeline so far; later ones (after a reconnect) add nothing new to say.
      if (event.kind === 'snapshot' && event.run) {
        if (!shownTimeline) ctx.out(formatTimeline(event.run, ctx.style) + '\n');
        shownTimeline = true;
        return;
      }
      ctx.out(formatEventLine(event, ctx.style));
    }, { signal: ctx.io.signal });
    if (!isTerminal(run.status)) {
      ctx.err(`run ${runId} is still ${run.status} but its event stream keeps closing; try again with: weaver logs ${runId} --follow\n`);
      return EXIT.failed;
    }
    return run.status === 'failed' ? EXIT.failed : EXIT.ok;
  } catch (err) {
    if (ctx.io.signal?.aborted) return EXIT.interrupted;
    throw err;
  }
}
