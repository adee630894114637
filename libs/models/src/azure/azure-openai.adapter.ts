import { AzureOpenAI } from 'openai';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import { ProviderError } from '../provider-error';
import { OpenAIAdapter } from '../openai/openai.adapter';

/** The GA Azure OpenAI data-plane version; models.yaml `options.api_version` overrides it. */
export const AZURE_API_VERSION = '2024-10-21';

/**
 * Azure OpenAI through the official `openai` SDK's `AzureOpenAI` client: the same Chat
 * Completions and Embeddings bodies (so mapping, streaming and errors are OpenAI's), sent to
 * `<endpoint>/openai/deployments/<deployment>/...?api-version=` with the `api-key` header. The
 * deployment is models.yaml `model` (Azure routes by deployment name, not model id).
 */
export class AzureOpenAIAdapter extends OpenAIAdapter {
  constructor(spec: AdapterSpec, ctx: AdapterContext) {
    if (!spec.endpoint) throw new ProviderError('bad-request', 'azure-openai', `model ${spec.name}: endpoint is required (https://<resource>.openai.azure.com)`);
    const client = new AzureOpenAI({
      endpoint: spec.endpoint,
      apiKey: spec.apiKey,
      apiVersion: String(spec.options['api_version'] ?? AZURE_API_VERSION),
      deployment: spec.model,
      timeout: spec.timeoutMs,
      maxRetries: 0,
      fetch: ctx.fetch,
    });
    super(spec, ctx, { provider: 'azure-openai', maxTokensField: 'max_completion_tokens', apiKeyOptional: false, client });
  }
}
