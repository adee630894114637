import type { ModelCapabilities } from '@weaver/models';
import type { Level } from '@weaver/governance';
import { defaultEndpoints } from '@weaver/models';
import type { Capability, ModelEntryConfig, ModelsFile } from './models-file.schema';

/** One routable model, resolved from models.yaml and the environment. */
export interface CatalogModel {
  name: string;
  provider: string;
  providerModel: string;
  endpoint: string | undefined;
  /** Key for breakers and pools: one per provider endpoint. */
  endpointKey: string;
  apiKey: string | undefined;
  /** False when models.yaml names a key variable that is not set: the model is skipped. */
  available: boolean;
  unavailableReason?: string;
  capabilitySet: ReadonlySet<Capability>;
  capabilities: ModelCapabilities;
  timeoutMs: number;
  weight: number;
  fallbacks: string[];
  config: ModelEntryConfig;
  /** The highest classification level it may receive (models.yaml `max_classification`, or its default). */
  maxClassification: Level;
}

export interface ModelCatalog {
  file: ModelsFile;
  models: ReadonlyMap<string, CatalogModel>;
}

/**
 * The tags a model is routed on: as listed, plus `text` for every model that is not
 * embeddings-only (the plan lists `gpt-4` as `[code, analysis, vision]`: it still reads and
 * writes text, and every chat request needs `text`).
 */
export function capabilityTagsOf(m: Pick<ModelEntryConfig, 'capabilities'>): ReadonlySet<Capability> {
  const tags = new Set(m.capabilities);
  if (!m.capabilities.every((c) => c === 'embeddings')) tags.add('text');
  return tags;
}

function toCapabilities(m: ModelEntryConfig, tags: ReadonlySet<Capability>): ModelCapabilities {
  const has = (c: Capability): boolean => tags.has(c);
  return {
    modalities: [...(has('text') ? ['text' as const] : []), ...(has('vision') ? ['vision' as const] : []), ...(has('audio') ? ['audio' as const] : [])],
    toolCalling: has('tools'),
    jsonOutput: has('json'),
    streaming: has('streaming'),
    embeddings: has('embeddings'),
    contextWindow: m.max_context,
    maxOutputTokens: m.max_output_tokens,
    inputCostPerToken: m.cost.input_per_token,
    outputCostPerToken: m.cost.output_per_token,
    selfHosted: m.self_hosted,
  };
}

/** Resolve models.yaml against the environment (credentials by variable name). */
export function buildCatalog(file: ModelsFile, env: Record<string, string | undefined>): ModelCatalog {
  const models = new Map<string, CatalogModel>();
  for (const m of file.models) {
    const apiKey = m.api_key_env ? env[m.api_key_env] : undefined;
    const missingKey = m.api_key_env !== undefined && !apiKey;
    const endpoint = m.endpoint ?? defaultEndpoints[m.provider];
    const tags = capabilityTagsOf(m);
    models.set(m.name, {
      name: m.name,
      provider: m.provider,
      providerModel: m.model ?? m.name,
      endpoint,
      endpointKey: endpoint ? `${m.provider}@${new URL(endpoint).host}` : m.provider,
      apiKey,
      available: !missingKey,
      maxClassification: m.max_classification ?? (m.self_hosted ? 'restricted' : 'confidential'),
      unavailableReason: missingKey ? `environment variable ${m.api_key_env} is not set` : undefined,
      capabilitySet: tags,
      capabilities: toCapabilities(m, tags),
      timeoutMs: m.timeout_ms ?? file.defaults.timeout_ms,
      weight: m.weight,
      fallbacks: m.fallbacks,
      config: m,
    });
  }
  return { file, models };
}
