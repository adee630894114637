/**
 * @weaver/models — one interface for every model provider.
 *
 * `ModelAdapter` (generate, stream, embed, capabilities) is implemented per provider with the
 * provider's official SDK: OpenAI and Azure OpenAI (`openai`), Anthropic (`@anthropic-ai/sdk`),
 * Google Gemini (`@google/genai`), AWS Bedrock (`@aws-sdk/client-bedrock-runtime`, Converse),
 * Mistral (`@mistralai/mistralai`), Cohere (`cohere-ai`, v2), Hugging Face TGI / Inference
 * Endpoints and TEI (`@huggingface/inference`), Ollama (`ollama`), and any OpenAI-compatible
 * self-hosted server (vLLM, llama.cpp) as `vllm`, `self-hosted` or `openai-compatible`. Usage and
 * error mapping shared by the adapters is in `provider-mapping.ts`. `local-deterministic` is a stand-in
 * for an LLM whose output is a pure function of the prompt (examples and tests). Build adapters
 * with `createAdapter(spec, { fetch: pools.fetchFor(endpoint) })`; failures are `ProviderError`
 * with a `kind` (rate-limit, timeout, context-overflow, unavailable, ...). The router
 * (`@weaver/model-router`) is the only intended caller: agents reach models through it.
 */
export * from './model-types';
export * from './model-adapter';
export * from './adapter-spec';
export * from './provider-error';
export * from './connection-pools';
export * from './token-estimate';
export * from './json-schema-instruction';
export * from './provider-registry';
export { OpenAIAdapter } from './openai/openai.adapter';
export { OpenAICompatibleAdapter } from './openai/openai-compatible.adapter';
export { AnthropicAdapter } from './anthropic/anthropic.adapter';
export { HuggingFaceAdapter } from './huggingface/huggingface.adapter';
export { LocalDeterministicAdapter } from './local/local-deterministic.adapter';
export { AzureOpenAIAdapter } from './azure/azure-openai.adapter';
export { OllamaAdapter } from './ollama/ollama.adapter';
export { MistralAdapter } from './mistral/mistral.adapter';
export { CohereAdapter } from './cohere/cohere.adapter';
export { GeminiAdapter } from './gemini/gemini.adapter';
export { BedrockAdapter } from './bedrock/bedrock.adapter';
export { TeiAdapter } from './huggingface/tei.adapter';
export * from './provider-mapping';
export { countTokens } from './local/deterministic-text';
