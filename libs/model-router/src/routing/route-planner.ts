import { estimatePromptTokens } from '@weaver/models';
import type { CatalogModel, ModelCatalog } from '../catalog/model-catalog';
import type { Capability, RoutingPolicyName } from '../catalog/models-file.schema';
import { allows, parseClassification } from '@weaver/governance';
import { ClassificationCeilingError, invalid, NoCapableModelError } from '../router-errors';
import type { EndpointStats } from './endpoint-stats';
import { assignArm, type ArmAssignment } from './experiment-assignment';
import { orderByPolicy } from './routing-policy';
import type { CallerContext } from './route-request';

export interface RouteNeeds {
  capabilities: Capability[];
  promptTokens: number;
  outputTokens: number;
  modelHint?: string;
}

export interface RoutePlan {
  /** Models to try in order: first choice, then fallbacks. */
  chain: CatalogModel[];
  policy: RoutingPolicyName;
  assignment?: ArmAssignment;
}

/** The capabilities a chat request needs beyond what the caller listed. */
export function impliedCapabilities(req: { tools: unknown[]; jsonMode: boolean; jsonSchema?: unknown; requiredCapabilities: Capability[] }, streaming: boolean): Capability[] {
  const caps = new Set<Capability>(req.requiredCapabilities);
  caps.add('text');
  if (req.tools.length) caps.add('tools');
  if (req.jsonMode || req.jsonSchema) caps.add('json');
  if (streaming) caps.add('streaming');
  return [...caps];
}

export function promptTokensOf(messages: Parameters<typeof estimatePromptTokens>[0], tools: unknown[]): number {
  return estimatePromptTokens(messages, tools.length ? JSON.stringify(tools) : '');
}

/**
 * Decide which models may serve a call and in what order: capabilities, classification and
 * context size filter; tenant and workflow overrides restrict and prefer; an A/B arm or a model
 * hint goes first; the policy orders the rest; a model's own `fallbacks` follow it.
 */
export function planRoute(catalog: ModelCatalog, caller: CallerContext, needs: RouteNeeds, stats: EndpointStats, random?: () => number): RoutePlan {
  const { file } = catalog;
  const tenantOverride = file.routing.tenants[caller.tenantId];
  const workflowOverride = file.routing.workflows[caller.workflow];
  const policy = workflowOverride?.policy ?? tenantOverride?.policy ?? file.defaults.policy;
  // Validated here too, not only at intake: any gRPC client may call the router.
  const classification = parseClassification(caller.classification, 'classification', 'request');
  const allowLists = [tenantOverride?.models, workflowOverride?.models].filter((l): l is string[] => l !== undefined);

  const rejected: Record<string, string> = {};
  const eligible = (m: CatalogModel): boolean => {
    const why = !m.available
      ? m.unavailableReason
      : !allows(m.maxClassification, classification)
        ? `cleared up to ${m.maxClassification} (request is ${classification.level})`
        : allowLists.some((l) => !l.includes(m.name))
          ? 'not allowed for this tenant/workflow'
          : needs.capabilities.find((c) => !m.capabilitySet.has(c))
            ? `lacks capability ${needs.capabilities.find((c) => !m.capabilitySet.has(c))}`
            : needs.promptTokens + needs.outputTokens > m.capabilities.contextWindow
              ? `context window ${m.capabilities.contextWindow} < ~${needs.promptTokens + needs.outputTokens} tokens`
              : undefined;
    if (why) rejected[m.name] = why;
    return why === undefined;
  };

  if (needs.modelHint !== undefined) {
    const hinted = catalog.models.get(needs.modelHint);
    if (!hinted) throw invalid('model_hint', `must name a model in models.yaml (got "${needs.modelHint}")`);
    // An explicit model is refused rather than silently replaced: the caller asked for it by name.
    if (!allows(hinted.maxClassification, classification)) throw new ClassificationCeilingError(hinted.name, hinted.maxClassification, classification.level);
  }

  const candidates = [...catalog.models.values()].filter(eligible);
  if (!candidates.length) throw new NoCapableModelError(Object.values(rejected)[0] ?? 'the catalogue is empty', { required: needs.capabilities, rejected });

  const ordered = orderByPolicy(policy, candidates, { ...needs, stats, random });
  // Models cooling down after a 429 go last, not away: they may be the only capable ones.
  const cooled = [...ordered.filter((m) => !stats.isCooling(m.name)), ...ordered.filter((m) => stats.isCooling(m.name))];

  const assignment = needs.modelHint === undefined ? assignArm(file.experiments, caller.workflow, caller.agent, caller.runId) : undefined;
  const first = [needs.modelHint, assignment?.model, ...(workflowOverride?.prefer ?? []), ...(tenantOverride?.prefer ?? [])]
    .map((n) => candidates.find((m) => m.name === n))
    .find((m): m is CatalogModel => m !== undefined);

  const chain: CatalogModel[] = [];
  const push = (m: CatalogModel | undefined): void => {
    if (m && !chain.includes(m)) chain.push(m);
  };
  push(first ?? cooled[0]);
  for (const f of chain[0]?.fallbacks ?? []) push(candidates.find((m) => m.name === f));
  for (const m of cooled) push(m);
  return {
    chain: chain.slice(0, file.defaults.max_attempted_models),
    policy,
    assignment: assignment && chain[0]?.name === assignment.model ? assignment : undefined,
  };
}
