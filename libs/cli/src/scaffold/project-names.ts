import { basename } from 'node:path';
import { usageError } from '../cli-error';

const KEBAB = /^[a-z][a-z0-9-]*$/;
// Names the agent template imports or declares: a class of the same name would shadow them.
const TAKEN = new Set(['Agent', 'Capability', 'Input', 'Workflow']);

export interface ProjectNames {
  projectName: string;
  agentName: string;
  AgentClass: string;
  capability: string;
  workflowName: string;
  workflowVar: string;
}

const pascal = (kebab: string) => kebab.split('-').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** "My Agents_2" → "my-agents-2": what a directory name becomes as a package/workflow name. */
export function toKebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
}

/**
 * Every name a scaffold needs, from the directory and the flags, each checked with an error
 * naming the flag: agent names as the SDK requires (kebab-case); workflow names kebab-case too,
 * a subset of what the SDK accepts (it also takes snake_case), since the scaffold derives the
 * workflow's variable name from the dashes.
 */
export function projectNames(dir: string, flags: { name?: string; workflow?: string }): ProjectNames {
  const agentName = flags.name ?? 'summarizer';
  if (!KEBAB.test(agentName)) throw usageError('--name', `the agent name must be kebab-case ([a-z][a-z0-9-]*), got "${agentName}"`, 'e.g. --name summarizer');
  const projectName = toKebab(basename(dir));
  const workflowName = flags.workflow ?? projectName;
  if (!KEBAB.test(workflowName)) {
    throw flags.workflow === undefined
      ? usageError('<dir>', `cannot derive a workflow name from "${basename(dir)}" (needs letters)`, 'pass --workflow <kebab-case-name>')
      : usageError('--workflow', `the workflow name must be kebab-case ([a-z][a-z0-9-]*), got "${workflowName}"`);
  }
  const cls = pascal(agentName);
  return {
    projectName: projectName || workflowName,
    agentName,
    AgentClass: TAKEN.has(cls) ? `${cls}Agent` : cls,
    capability: agentName.replace(/-/g, '_'),
    workflowName,
    workflowVar: `${pascal(workflowName).replace(/^./, (c) => c.toLowerCase())}Workflow`,
  };
}
