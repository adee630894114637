import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { EmbedRequest, EmbedResult, GenerateResult, ModelCapabilities, StreamDelta } from '../model-types';
import { ProviderError } from '../provider-error';
import { HuggingFaceAdapter } from './huggingface.adapter';

/**
 * Hugging Face Text Embeddings Inference (TEI) as a provider of its own: embeddings only,
 * through the official `@huggingface/inference` client on TEI's `POST /embed` (the
 * `huggingface` adapter's embedding path; `options.embed_path` overrides it). models.yaml may
 * give a `tei` model no capability but `embeddings`, so chat is never routed here.
 */
export class TeiAdapter implements ModelAdapter {
  readonly provider = 'tei';
  private readonly hf: HuggingFaceAdapter;

  constructor(
    private readonly spec: AdapterSpec,
    ctx: AdapterContext,
  ) {
    this.hf = new HuggingFaceAdapter(spec, ctx);
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  async generate(): Promise<GenerateResult> {
    throw new ProviderError('unsupported', this.provider, 'Text Embeddings Inference serves embeddings only; route chat to another model');
  }

  async *stream(): AsyncIterable<StreamDelta> {
    throw new ProviderError('unsupported', this.provider, 'Text Embeddings Inference serves embeddings only; route chat to another model');
  }

  async embed(req: EmbedRequest): Promise<EmbedResult> {
    try {
      return await this.hf.embed(req);
    } catch (err) {
      if (err instanceof ProviderError) throw new ProviderError(err.kind, this.provider, err.message.replace(/^huggingface: /, ''), err.status, err.retryAfterMs, err);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.hf.close();
  }
}
