import type { AgentDefinition } from './agent-definition';

export interface WorkflowShape {
  /** The event type the run's input is published as: required by an agent, published by none. */
  entryEventType: string;
  /** Agents whose output no agent in the workflow consumes: their result ends the run. */
  terminalAgents: string[];
}

/**
 * Checks that a workflow's agents connect: exactly one entry event type, every other required
 * type published by some agent, and no cycle that cannot reach a terminal agent.
 */
export function analyseWorkflow(name: string, agents: AgentDefinition[]): WorkflowShape {
  const problems: string[] = [];
  if (!agents.length) throw new Error(`workflow "${name}": add at least one agent`);
  const names = new Set<string>();
  for (const a of agents) {
    if (names.has(a.name)) problems.push(`agent "${a.name}" is added twice`);
    names.add(a.name);
  }
  const published = new Set(agents.flatMap((a) => a.publishes));
  const required = new Set(agents.flatMap((a) => a.requires));
  const entries = [...required].filter((t) => !published.has(t));
  if (entries.length !== 1) {
    problems.push(
      entries.length === 0
        ? 'no entry point: every required event type is published by an agent of the workflow (a cycle with no way in)'
        : `ambiguous entry: event types ${entries.map((e) => `"${e}"`).join(', ')} are required but published by no agent; a workflow has exactly one`,
    );
  }
  const terminal = agents.filter((a) => !a.publishes.some((t) => required.has(t))).map((a) => a.name);
  const consumers = (type: string) => agents.filter((a) => a.requires.includes(type));
  // An agent can finish the run if some path from it reaches a terminal agent.
  const canFinish = new Set(terminal);
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of agents) {
      if (canFinish.has(a.name)) continue;
      if (a.publishes.some((t) => consumers(t).some((c) => canFinish.has(c.name)))) {
        canFinish.add(a.name);
        changed = true;
      }
    }
  }
  const stuck = agents.filter((a) => !canFinish.has(a.name)).map((a) => a.name);
  if (stuck.length) problems.push(`agents ${stuck.map((s) => `"${s}"`).join(', ')} form a cycle without an exit: no path from them reaches an agent that ends the run`);
  if (problems.length) throw new Error(`workflow "${name}" is invalid:\n  - ${problems.join('\n  - ')}`);
  return { entryEventType: entries[0]!, terminalAgents: terminal };
}
