import { isAbsolute, resolve } from 'node:path';
import type { Workflow } from '@weaver/sdk';
import { isWorkflow } from '@weaver/sdk/internal';

/**
 * Loads the workflows this runner hosts from modules whose default export is an array of
 * Workflow (e.g. `examples/index.ts`, or a user project's `src/workflows.ts`). A project built on
 * the installed `@weaver/sdk` package has its own copy of the class, so the check is a brand.
 */
export function loadWorkflows(modules: string[], cwd = process.cwd()): Workflow[] {
  const workflows: Workflow[] = [];
  for (const path of modules) {
    const file = isAbsolute(path) ? path : resolve(cwd, path);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- user modules are chosen at run time
    const mod = require(file) as { default?: unknown };
    const list = mod.default;
    if (!Array.isArray(list) || !list.every(isWorkflow)) {
      throw new Error(`WEAVER_WORKFLOWS: ${path} must default-export an array of Workflow (export default [myWorkflow])`);
    }
    workflows.push(...(list as Workflow[]));
  }
  return workflows;
}
