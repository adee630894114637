import type { EmbedRequest, EmbedResult, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta } from './model-types';

/**
 * One model behind one provider endpoint. Implementations throw `ProviderError` (with a kind
 * the router's fallback logic understands) for every failure the provider reports.
 */
export interface ModelAdapter {
  /** Provider name as written in models.yaml (`openai`, `anthropic`, ...). */
  readonly provider: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  stream(request: GenerateRequest): AsyncIterable<StreamDelta>;
  embed(request: EmbedRequest): Promise<EmbedResult>;
  capabilities(): ModelCapabilities;
  /** Release pooled connections. */
  close(): Promise<void>;
}
