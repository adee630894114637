import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import { OpenAIAdapter } from './openai.adapter';

/**
 * The custom adapter: any self-hosted server that speaks the OpenAI API (vLLM, Ollama's `/v1`,
 * llama.cpp server, LocalAI). The official OpenAI SDK is the client those projects document;
 * differences are that `endpoint` is required, the key is optional and the older `max_tokens`
 * field is sent, which all of them accept.
 */
export class OpenAICompatibleAdapter extends OpenAIAdapter {
  constructor(spec: AdapterSpec, ctx: AdapterContext) {
    super(spec, ctx, { provider: 'openai-compatible', maxTokensField: 'max_tokens', apiKeyOptional: true });
  }
}
