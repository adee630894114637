import type { ModelCapabilities } from './model-types';

/** Everything an adapter needs to reach one model: built by the router from models.yaml. */
export interface AdapterSpec {
  /** Catalogue name (unique in models.yaml). */
  name: string;
  provider: string;
  /** The provider's model id. */
  model: string;
  /** Base URL of the provider API; adapters default to the provider's public API. */
  endpoint?: string;
  /** The credential itself, already read from the env var models.yaml names. */
  apiKey?: string;
  capabilities: ModelCapabilities;
  /** Per-call timeout. */
  timeoutMs: number;
  /** Provider-specific options from models.yaml (`options:`), e.g. `embed_path` for TEI. */
  options: Record<string, string | number | boolean>;
}

export interface AdapterContext {
  /** A keep-alive pooled fetch for the spec's endpoint (see ConnectionPools). */
  fetch: typeof fetch;
}
