import { ValidationError } from '@weaver/errors';
import type { AgentDefinition } from '@weaver/sdk';
import type { WorkflowCatalogue } from './workflow-catalogue';

const ENTRY = /^!?[a-zA-Z0-9._-]+$/;

/**
 * Which of the catalogue's agents one runner hosts (WEAVER_AGENTS), so each agent type can run
 * in its own Deployment scaled on its own consumer lag (deploy/helm, KEDA): `a,b` hosts a and b
 * only; `!a,!b` hosts every agent but a and b (the runner that keeps the rest); empty: all.
 * The rest of the catalogue is still loaded: the dispatcher needs every workflow's entry agent.
 */
export type AgentSelection = { readonly kind: 'all' } | { readonly kind: 'only' | 'except'; readonly names: readonly string[] };

/** The syntax, checked with the rest of the config (names are checked against the catalogue by `selectAgents`). */
export function parseAgentSelection(entries: readonly string[], field = 'WEAVER_AGENTS'): AgentSelection {
  if (entries.length === 0) return { kind: 'all' };
  const bad = entries.find((e) => !ENTRY.test(e));
  if (bad !== undefined) throw new ValidationError([{ field, rule: `"${bad}" must be an agent name ([a-zA-Z0-9._-]+), optionally prefixed with ! to exclude it` }]);
  const excluded = entries.filter((e) => e.startsWith('!'));
  if (excluded.length > 0 && excluded.length < entries.length) {
    throw new ValidationError([{ field, rule: 'list agents to host (a,b) or agents to leave out (!a,!b), not both' }]);
  }
  return excluded.length ? { kind: 'except', names: excluded.map((e) => e.slice(1)) } : { kind: 'only', names: [...entries] };
}

/** The hosted agents; a name the catalogue does not define is refused (a typo would host nothing). */
export function selectAgents(catalogue: WorkflowCatalogue, selection: AgentSelection, field = 'WEAVER_AGENTS'): AgentDefinition[] {
  const all = catalogue.agents;
  if (selection.kind === 'all') return all;
  const known = new Set(all.map((a) => a.name));
  const unknown = selection.names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new ValidationError([{ field, rule: `unknown agent ${unknown.map((n) => `"${n}"`).join(', ')}; the loaded workflows define: ${[...known].join(', ') || 'none'}` }]);
  }
  const named = new Set(selection.names);
  return all.filter((a) => named.has(a.name) === (selection.kind === 'only'));
}
