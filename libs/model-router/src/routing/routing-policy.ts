import type { CatalogModel } from '../catalog/model-catalog';
import type { RoutingPolicyName } from '../catalog/models-file.schema';
import type { EndpointStats } from './endpoint-stats';

export interface PolicyInput {
  promptTokens: number;
  outputTokens: number;
  stats: EndpointStats;
  random?: () => number;
}

/** What a call would cost on a model, for ordering and for the budget reservation. */
export function estimateCost(m: CatalogModel, promptTokens: number, outputTokens: number): number {
  return promptTokens * m.capabilities.inputCostPerToken + outputTokens * m.capabilities.outputCostPerToken;
}

/** Weighted random order without replacement (Efraimidis–Spirakis: key = u^(1/w), largest first). */
function weightedShuffle(models: CatalogModel[], random: () => number): CatalogModel[] {
  return models
    .map((m) => ({ m, key: Math.pow(random(), 1 / m.weight) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.m);
}

/** Candidates in the order the policy prefers them; the rest of the list is the fallback order. */
export function orderByPolicy(policy: RoutingPolicyName, models: CatalogModel[], input: PolicyInput): CatalogModel[] {
  const byName = (a: CatalogModel, b: CatalogModel): number => a.name.localeCompare(b.name);
  switch (policy) {
    case 'cheapest':
      return [...models].sort((a, b) => estimateCost(a, input.promptTokens, input.outputTokens) - estimateCost(b, input.promptTokens, input.outputTokens) || byName(a, b));
    case 'lowest-latency':
      return [...models].sort((a, b) => input.stats.latencyOf(a.name) - input.stats.latencyOf(b.name) || byName(a, b));
    case 'least-busy':
      return [...models].sort(
        (a, b) =>
          input.stats.inflightOf(a.name) / (a.config.pool?.connections ?? 64) - input.stats.inflightOf(b.name) / (b.config.pool?.connections ?? 64) ||
          byName(a, b),
      );
    case 'weighted':
      return weightedShuffle(models, input.random ?? Math.random);
  }
}
