import { ValidationError } from '@weaver/errors';
import type { AdapterContext, AdapterSpec } from './adapter-spec';
import type { ModelAdapter } from './model-adapter';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { HuggingFaceAdapter } from './huggingface/huggingface.adapter';
import { LocalDeterministicAdapter } from './local/local-deterministic.adapter';
import { OpenAICompatibleAdapter } from './openai/openai-compatible.adapter';
import { OpenAIAdapter } from './openai/openai.adapter';
import { AzureOpenAIAdapter } from './azure/azure-openai.adapter';
import { OllamaAdapter } from './ollama/ollama.adapter';
import { MistralAdapter } from './mistral/mistral.adapter';
import { CohereAdapter } from './cohere/cohere.adapter';
import { GeminiAdapter } from './gemini/gemini.adapter';
import { BedrockAdapter } from './bedrock/bedrock.adapter';
import { TeiAdapter } from './huggingface/tei.adapter';

export type AdapterFactory = (spec: AdapterSpec, ctx: AdapterContext) => ModelAdapter;

/**
 * Provider name (as written in models.yaml) to adapter. A new provider is one file implementing
 * `ModelAdapter` plus one `registerProvider` call (here, or from the code that ships it).
 */
const factories = new Map<string, AdapterFactory>([
  ['openai', (s, c) => new OpenAIAdapter(s, c)],
  ['openai-compatible', (s, c) => new OpenAICompatibleAdapter(s, c)],
  ['anthropic', (s, c) => new AnthropicAdapter(s, c)],
  ['huggingface', (s, c) => new HuggingFaceAdapter(s, c)],
  ['local-deterministic', (s) => new LocalDeterministicAdapter(s)],
  ['azure-openai', (s, c) => new AzureOpenAIAdapter(s, c)],
  ['ollama', (s, c) => new OllamaAdapter(s, c)],
  ['mistral', (s, c) => new MistralAdapter(s, c)],
  ['cohere', (s, c) => new CohereAdapter(s, c)],
  ['gemini', (s, c) => new GeminiAdapter(s, c)],
  ['bedrock', (s) => new BedrockAdapter(s)],
  ['tei', (s, c) => new TeiAdapter(s, c)],
  // vLLM and the plan's `self-hosted` speak the OpenAI API: the OpenAI-compatible adapter under their name.
  ['vllm', (s, c) => new OpenAICompatibleAdapter(s, c, 'vllm')],
  ['self-hosted', (s, c) => new OpenAICompatibleAdapter(s, c, 'self-hosted')],
]);

/** What models.yaml may declare for a provider, checked when the file is loaded. */
export interface ProviderTraits {
  /** No public default endpoint: models.yaml must name one. */
  endpointRequired: boolean;
  /** The provider's API has embeddings. */
  embeddings: boolean;
  /** The provider's API has chat (false: embeddings only). */
  chat: boolean;
}

const DEFAULT_TRAITS: ProviderTraits = { endpointRequired: false, embeddings: true, chat: true };
const traits: Record<string, Partial<ProviderTraits>> = {
  anthropic: { embeddings: false },
  huggingface: { endpointRequired: true },
  'openai-compatible': { endpointRequired: true },
  vllm: { endpointRequired: true },
  'self-hosted': { endpointRequired: true },
  'azure-openai': { endpointRequired: true },
  tei: { endpointRequired: true, chat: false },
};

export function providerTraits(provider: string): ProviderTraits {
  return { ...DEFAULT_TRAITS, ...traits[provider] };
}

/** Providers registered from outside declare their traits here. */
export function registerProviderTraits(provider: string, t: Partial<ProviderTraits>): void {
  traits[provider] = t;
}

export function registerProvider(name: string, factory: AdapterFactory): void {
  factories.set(name, factory);
}

export function knownProviders(): string[] {
  return [...factories.keys()];
}

/** Endpoints the provider SDKs use when models.yaml names none. */
export const defaultEndpoints: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

export function createAdapter(spec: AdapterSpec, ctx: AdapterContext): ModelAdapter {
  const factory = factories.get(spec.provider);
  if (!factory) {
    throw new ValidationError([{ field: `models.${spec.name}.provider`, rule: `must be one of ${knownProviders().join(', ')}` }]);
  }
  return factory(spec, ctx);
}
