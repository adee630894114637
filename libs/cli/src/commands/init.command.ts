import { relative, resolve } from 'node:path';
import { EXIT, type ExitCode } from '../cli-error';
import { projectNames } from '../scaffold/project-names';
import { checkoutPaths } from '../config/checkout';
import { scaffoldProject } from '../scaffold/project-scaffold';
import { ensureSdkTarball } from '../scaffold/sdk-tarball';
import type { CommandContext } from './command-context';

/** `weaver init <dir>`: a new agent project, depending on the `@weaver/sdk` package packed from this checkout. */
export function initCommand(ctx: CommandContext, dirArg: string, flags: { name?: string; workflow?: string }, checkoutRoot?: string): ExitCode {
  const dir = resolve(ctx.io.cwd, dirArg);
  const names = projectNames(dir, flags);
  ensureSdkTarball(checkoutPaths(checkoutRoot));
  const result = scaffoldProject(dir, names, checkoutRoot);
  if (ctx.output.json) {
    ctx.json({ dir, files: result.files, agent: names.agentName, workflow: names.workflowName });
    return EXIT.ok;
  }
  const s = ctx.style;
  const shownDir = relative(ctx.io.cwd, dir) || '.';
  ctx.out(
    [
      `${s.green('✓')} created ${s.bold(shownDir)}: agent ${s.bold(names.agentName)} in workflow ${s.bold(names.workflowName)}`,
      ...result.files.map((f) => s.dim(`  ${f}`)),
      '',
      'next:',
      ...(shownDir === '.' ? [] : [`  cd ${shownDir}`]),
      '  npm install                # @weaver/sdk (packed from this checkout), zod, typescript',
      '  weaver dev                 # the local stack with this project (leave it running)',
      `  weaver run ${names.workflowName} --input '{"text": "Weaver runs every agent step exactly once."}'`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
