import { isAbsolute, resolve } from 'node:path';
import { Workflow } from '@weaver/sdk';

/**
 * Loads the workflows this runner hosts from modules whose default export is an array of
 * Workflow (e.g. `examples/index.ts`, or a user project's `src/workflows.ts`).
 */
export function loadWorkflows(modules: string[], cwd = process.cwd()): Workflow[] {
  const workflows: Workflow[] = [];
  for (const path of modules) {
    const file = isAbsolute(path) ? path : resolve(cwd, path);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- user modules are chosen at run time
    const mod = require(file) as { default?: unknown };
    const list = mod.default;
    if (!Array.isArray(list) || !list.every((w) => w instanceof Workflow)) {
      throw new Error(`WEAVER_WORKFLOWS: ${path} must default-export an array of Workflow (export default [myWorkflow])`);
    }
    workflows.push(...(list as Workflow[]));
  }
  return workflows;
}
