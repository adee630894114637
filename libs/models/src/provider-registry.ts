import { ValidationError } from '@weaver/errors';
import type { AdapterContext, AdapterSpec } from './adapter-spec';
import type { ModelAdapter } from './model-adapter';
import { AnthropicAdapter } from './anthropic/anthropic.adapter';
import { HuggingFaceAdapter } from './huggingface/huggingface.adapter';
import { LocalDeterministicAdapter } from './local/local-deterministic.adapter';
import { OpenAICompatibleAdapter } from './openai/openai-compatible.adapter';
import { OpenAIAdapter } from './openai/openai.adapter';

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
]);

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
