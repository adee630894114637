import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from '@weaver/config';
import { CliError, EXIT, usageError } from '../cli-error';
import { checkoutPaths } from '../config/checkout';

/** What `weaver dev` will start: `npm run dev` in the checkout, with these workflow modules. */
export interface DevPlan {
  checkout: string;
  command: string;
  args: string[];
  /** The scaffolded project found from the working directory, if any. */
  project?: string;
  /** Absolute paths for WEAVER_WORKFLOWS; empty = the stack's default (examples/index.ts). */
  workflows: string[];
}

const projectManifest = z.looseObject({
  weaver: z.looseObject({ workflows: z.array(z.string().min(1)).min(1).default(['src/workflows.ts']) }),
});

/**
 * Works out what to run. In a project made by `weaver init` (a package.json with a "weaver"
 * field, found from `cwd` upwards) its workflow modules are added to the stack; `--workflows`
 * names modules explicitly. The content-pipeline example always stays loaded (and only it, to
 * keep agent names free), because `npm run dev` runs it end to end as its start-up check.
 */
export function planDevStack(cwd: string, flags: { workflows?: string[]; once?: boolean; verbose?: boolean }, checkoutRoot?: string): DevPlan {
  const paths = checkoutPaths(checkoutRoot);
  if (!existsSync(join(paths.root, 'tools', 'dev', 'up.ts'))) {
    throw new CliError('FAILED_PRECONDITION', `${paths.root} has no local stack (tools/dev/up.ts is missing)`, 'run weaver from a complete Weaver checkout');
  }
  let project: string | undefined;
  let modules: string[];
  if (flags.workflows?.length) {
    modules = flags.workflows.map((w) => resolve(cwd, w));
  } else {
    const manifest = findProjectManifest(cwd);
    const dir = manifest ? dirname(manifest) : undefined;
    modules = manifest && dir ? readManifest(manifest).weaver.workflows.map((w) => resolve(dir, w)) : [];
    project = dir;
  }
  for (const m of modules) {
    if (!existsSync(m)) throw usageError(flags.workflows?.length ? '--workflows' : 'package.json weaver.workflows', `${m} does not exist`, 'give the path of a module whose default export is an array of Workflow');
  }
  const workflows = modules.length ? [paths.startupWorkflow, ...modules.filter((m) => m !== paths.startupWorkflow)] : [];
  const extra = [...(flags.once ? ['--once'] : []), ...(flags.verbose ? ['--verbose'] : [])];
  return { checkout: paths.root, command: 'npm', args: ['run', 'dev', ...(extra.length ? ['--', ...extra] : [])], project, workflows };
}

/** The nearest package.json with a "weaver" field (the checkout's own has none). */
function findProjectManifest(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && hasWeaverField(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

function hasWeaverField(file: string): boolean {
  try {
    return typeof (JSON.parse(readFileSync(file, 'utf8')) as { weaver?: unknown }).weaver === 'object';
  } catch {
    return false;
  }
}

function readManifest(file: string): z.infer<typeof projectManifest> {
  const parsed = projectManifest.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError('INVALID_ARGUMENT', `${file}: ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'invalid'}`, 'weaver.workflows must list module paths, e.g. ["src/workflows.ts"]', EXIT.usage);
  }
  return parsed.data;
}
