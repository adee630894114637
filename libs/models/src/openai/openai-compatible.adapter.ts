import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import { OpenAIAdapter } from './openai.adapter';

/**
 * The custom adapter: any self-hosted server that speaks the OpenAI API (vLLM, Ollama's `/v1`,
 * llama.cpp server, LocalAI). The official OpenAI SDK is the client those projects document;
 * differences are that `endpoint` is required, the key is optional and the older `max_tokens`
 * field is sent, which all of them accept.
 */
export class OpenAICompatibleAdapter extends OpenAIAdapter {
  /** `provider`: the name models.yaml used (`openai-compatible`, `vllm`, `self-hosted`), for errors and metrics. */
  constructor(spec: AdapterSpec, ctx: AdapterContext, provider = 'openai-compatible') {
    super(spec, ctx, { provider, maxTokensField: 'max_tokens', apiKeyOptional: true });
  }
}
