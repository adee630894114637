import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CliError, EXIT } from '../cli-error';
import { checkoutPaths } from '../config/checkout';
import type { ProjectNames } from './project-names';
import { pinnedVersions, sdkTarballPath } from './sdk-tarball';
import { renderTemplate, targetPath } from './template-render';

export interface ScaffoldResult {
  dir: string;
  /** Created files, relative to `dir`, in creation order. */
  files: string[];
}

/**
 * Renders `templates/agent-project` into `dir`, which must be missing or empty: a project is
 * never written over existing files. The project depends on the `@weaver/sdk` package (the
 * tarball packed from this checkout, `file:`), like any npm dependency: no paths into the checkout.
 */
export function scaffoldProject(dir: string, names: ProjectNames, checkoutRoot?: string): ScaffoldResult {
  const paths = checkoutPaths(checkoutRoot);
  assertEmptyDirectory(dir);
  const versions = pinnedVersions(paths);
  const variables = { ...names, checkout: paths.root, launcher: paths.launcher, sdkDependency: `file:${sdkTarballPath(paths)}`, zodVersion: versions.zod, typescriptVersion: versions.typescript, nodeTypesVersion: versions.nodeTypes };
  const templateRoot = join(paths.templates, 'agent-project');
  // Render everything first, so a broken template leaves no half-written project behind.
  const rendered = listFiles(templateRoot).map((file) => ({
    target: targetPath(file, names.agentName),
    text: renderTemplate(readFileSync(join(templateRoot, file), 'utf8'), variables, file.replace(/\.tmpl$/, '')),
  }));
  for (const { target, text } of rendered) {
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), text, { flag: 'wx' });
  }
  return { dir, files: rendered.map((r) => r.target) };
}

function assertEmptyDirectory(dir: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new CliError('INVALID_ARGUMENT', `${dir} exists and is not a directory`, 'choose a new directory name, e.g. weaver init my-agents', EXIT.usage);
    entries = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (entries.length) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
    throw new CliError('INVALID_ARGUMENT', `${dir} is not empty (${shown}); weaver init never writes over existing files`, 'choose a new directory, e.g. weaver init my-agents', EXIT.usage);
  }
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(root, join(dir, e.name)) : [relative(root, join(dir, e.name))]));
}
