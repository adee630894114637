import { randomUUID } from 'node:crypto';
import { EXIT, usageError, type ExitCode } from '../cli-error';
import { isTerminal, type Run } from '../gateway/gateway-api';
import { formatDuration } from '../output/duration';
import { createProgressDisplay } from '../output/progress-display';
import { failureText, formatResult, runDuration } from '../output/run-view';
import type { CommandContext } from './command-context';
import { readRunInput, type RunInputFlags } from './run-input';
import { watchRun } from './run-watch';

export interface RunFlags extends RunInputFlags {
  runId?: string;
  detach?: boolean;
  classification?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `weaver run <workflow>`: starts a run and follows it to its end. Progress and status go to
 * stderr, the result to stdout (so `weaver run ... > result.json` keeps only the result);
 * with --json, stdout gets one object `{ run, result }` and stderr stays quiet.
 * Exit 0 when the run completed, 1 when it failed.
 */
export async function runCommand(ctx: CommandContext, workflow: string, flags: RunFlags): Promise<ExitCode> {
  if (flags.runId !== undefined && !UUID.test(flags.runId)) throw usageError('--run-id', `must be a UUID, got "${flags.runId}"`, `e.g. --run-id ${randomUUID()}`);
  const input = readRunInput(flags, ctx.io.cwd);
  const { run: started, created } = await ctx.gateway.startRun({ workflow, input, runId: flags.runId, classification: flags.classification });
  const s = ctx.errStyle;
  const say = (text: string) => (ctx.output.json ? undefined : ctx.err(text));
  say(`${created ? 'started' : 'following existing'} run ${s.bold(started.runId)} of ${s.bold(workflow)}\n`);
  if (flags.detach) {
    if (ctx.output.json) ctx.json({ run: started });
    else ctx.out(`${started.runId}\n`);
    say(s.dim(`follow it with: weaver logs ${started.runId} --follow\n`));
    return EXIT.ok;
  }

  const display = ctx.output.json ? undefined : createProgressDisplay(ctx.io.stderr, s, `${workflow} ${started.runId.slice(0, 8)}`);
  let run: Run;
  try {
    run = await watchRun(ctx.gateway, started.runId, (e) => display?.event(e), { signal: ctx.io.signal });
  } catch (err) {
    display?.stop();
    if (ctx.io.signal?.aborted) {
      say(`\nstopped waiting; the run goes on. Follow it with: weaver logs ${started.runId} --follow\n`);
      return EXIT.interrupted;
    }
    throw err;
  }
  display?.stop();

  if (!isTerminal(run.status)) {
    if (ctx.output.json) ctx.json({ run, result: null });
    say(`run ${run.runId} is still ${run.status} but its event stream keeps closing; follow it with: weaver logs ${run.runId} --follow\n`);
    return EXIT.failed;
  }
  if (run.status === 'failed') {
    if (ctx.output.json) ctx.json({ run, result: null });
    say(`${s.red('✗')} ${workflow} ${s.red('failed')} after ${formatDuration(runDuration(run))}: ${failureText(run)}\n`);
    say(s.dim(`see the timeline: weaver logs ${run.runId}\n`));
    return EXIT.failed;
  }
  const result = run.result ?? (await ctx.gateway.getResult(run.runId));
  if (ctx.output.json) {
    ctx.json({ run, result });
  } else {
    say(`${s.green('✓')} ${workflow} ${s.green('completed')} in ${formatDuration(runDuration(run))} ${s.dim(`(run ${run.runId})`)}\n`);
    ctx.out(formatResult(result));
  }
  return EXIT.ok;
}
