import type { AgentDefinition } from './agent-definition';
import { isEventPattern, matchesEventType } from './event-pattern';

/** Whether the agent consumes events of `type` (an exact requirement or a pattern matching it). */
export const consumesType = (agent: Pick<AgentDefinition, 'requires'>, type: string): boolean => agent.requires.some((r) => matchesEventType(r, type));

export interface WorkflowShape {
  /** The event type the run's input is published as: required by an agent, published by none. */
  entryEventType: string;
  /** Agents whose output no agent in the workflow consumes: their result ends the run. */
  terminalAgents: string[];
}

const quoted = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

/**
 * Checks that a workflow's agents connect, and says what is wrong in terms of the agents:
 * - exactly one entry event type (required by an agent, published by none);
 * - every agent reachable from the entry (a join agent once all its required types are);
 * - no cycle that cannot reach an agent ending the run.
 * A pattern requirement (`content.*`) is met by any type the workflow publishes that it matches;
 * it is never the entry (a run's input is published as one exact type).
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
  const entries = [...required].filter((t) => !isEventPattern(t) && !published.has(t));
  if (entries.length !== 1) {
    problems.push(
      entries.length === 0
        ? 'no entry point: every required event type is published by an agent of the workflow (a cycle with no way in)'
        : `ambiguous entry: event types ${quoted(entries)} are required but published by no agent; a workflow has exactly one entry type (a join agent's other inputs must come from agents of the workflow)`,
    );
  }
  if (entries.length === 1) {
    const unreached = unreachable(agents, entries[0]!);
    if (unreached.length) {
      problems.push(`agents ${quoted(unreached.map((a) => a.name))} are not connected to the entry "${entries[0]}": nothing starting from it publishes ${quoted([...new Set(unreached.flatMap((a) => a.requires))])}`);
    }
  }
  const terminal = agents.filter((a) => !a.publishes.some((t) => agents.some((c) => consumesType(c, t)))).map((a) => a.name);
  const stuck = cannotFinish(agents, new Set(terminal));
  if (stuck.length) problems.push(`agents ${quoted(stuck)} form a cycle without an exit: no path from them reaches an agent that ends the run`);
  if (problems.length) throw new Error(`workflow "${name}" is invalid:\n  - ${problems.join('\n  - ')}`);
  return { entryEventType: entries[0]!, terminalAgents: terminal };
}

/** Agents that never run: starting from the entry type, follow what runs and what it publishes. */
function unreachable(agents: AgentDefinition[], entry: string): AgentDefinition[] {
  const reached = new Set([entry]);
  const ran = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of agents) {
      if (ran.has(a.name) || !a.requires.every((r) => (isEventPattern(r) ? [...reached].some((t) => matchesEventType(r, t)) : reached.has(r)))) continue;
      ran.add(a.name);
      a.publishes.forEach((t) => reached.add(t));
      changed = true;
    }
  }
  return agents.filter((a) => !ran.has(a.name));
}

/** Agents from which no path of published → required types reaches a terminal agent. */
function cannotFinish(agents: AgentDefinition[], terminal: Set<string>): string[] {
  const canFinish = new Set(terminal);
  const consumers = (type: string): AgentDefinition[] => agents.filter((a) => consumesType(a, type));
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
  return agents.filter((a) => !canFinish.has(a.name)).map((a) => a.name);
}
