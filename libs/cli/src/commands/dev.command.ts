import { spawn } from 'node:child_process';
import { CliError, EXIT, type ExitCode } from '../cli-error';
import type { CommandContext } from './command-context';
import { planDevStack, type DevPlan } from './dev-stack';

export interface DevFlags {
  workflows?: string[];
  once?: boolean;
  verbose?: boolean;
  dryRun?: boolean;
}

/** Runs a plan's command in the foreground; resolves with its exit code. Tests pass their own. */
export type DevLauncher = (plan: DevPlan, env: Record<string, string | undefined>) => Promise<number>;

/**
 * `weaver dev`: the local stack (`npm run dev` in the checkout: broker, database, six
 * services, a dev tenant whose key lands in .weaver/credentials.json, one example run), with
 * the current project's workflows added. Its output streams through; Ctrl-C stops it.
 */
export async function devCommand(ctx: CommandContext, flags: DevFlags, launch: DevLauncher = spawnForeground, checkoutRoot?: string): Promise<ExitCode> {
  const plan = planDevStack(ctx.io.cwd, flags, checkoutRoot);
  const env = { ...ctx.io.env, ...(plan.workflows.length ? { WEAVER_WORKFLOWS: plan.workflows.join(',') } : {}) };
  if (flags.dryRun || ctx.output.json) {
    if (!flags.dryRun) throw new CliError('INVALID_ARGUMENT', '--json: weaver dev streams the stack\'s log, which is not JSON', 'use --dry-run --json to see what it would start', EXIT.usage);
    if (ctx.output.json) ctx.json({ cwd: plan.checkout, command: [plan.command, ...plan.args], project: plan.project ?? null, workflows: plan.workflows });
    else ctx.out(describe(plan));
    return EXIT.ok;
  }
  ctx.err(describe(plan));
  const code = await launch(plan, env);
  return code === 0 ? EXIT.ok : code === 130 ? EXIT.interrupted : EXIT.failed;
}

function describe(plan: DevPlan): string {
  const lines = [`weaver dev: \`${[plan.command, ...plan.args].join(' ')}\` in ${plan.checkout}`];
  if (plan.project) lines.push(`  project:   ${plan.project}`);
  lines.push(plan.workflows.length ? `  workflows: ${plan.workflows.join(', ')}` : '  workflows: the examples (run it from a `weaver init` project, or pass --workflows, to add yours)');
  return `${lines.join('\n')}\n`;
}

export const spawnForeground: DevLauncher = (plan, env) =>
  new Promise((resolve, reject) => {
    // Inherited stdio: the stack's progress lines stream straight through, colours intact.
    const child = spawn(plan.command, plan.args, { cwd: plan.checkout, env, stdio: 'inherit' });
    // The terminal sends Ctrl-C to the whole foreground group; the stack shuts itself down.
    // Wait for that instead of exiting under it. SIGTERM (e.g. from a supervisor) is passed on.
    const onSigint = () => undefined;
    const onSigterm = () => child.kill('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    const done = () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    };
    child.once('error', (err) => {
      done();
      reject(new CliError('FAILED_PRECONDITION', `cannot start \`${plan.command}\` (${(err as NodeJS.ErrnoException).code ?? err.message})`, 'is npm on your PATH?'));
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
