import Anthropic from '@anthropic-ai/sdk';
import type { AdapterContext, AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { EmbedResult, FinishReason, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta } from '../model-types';
import { ProviderError } from '../provider-error';
import { withSchemaInstruction } from '../json-schema-instruction';
import { fromAnthropicError } from './anthropic-errors';
import { finishReasonOf, fromAnthropicMessage, JSON_PREFILL, toAnthropicBody } from './anthropic-mapping';

/** Claude through the official `@anthropic-ai/sdk` Messages API (SDK retries off: the router retries). */
export class AnthropicAdapter implements ModelAdapter {
  readonly provider = 'anthropic';
  private readonly client: Anthropic;

  constructor(
    private readonly spec: AdapterSpec,
    ctx: AdapterContext,
  ) {
    this.client = new Anthropic({
      apiKey: spec.apiKey ?? null,
      baseURL: spec.endpoint,
      timeout: spec.timeoutMs,
      maxRetries: 0,
      fetch: ctx.fetch,
    });
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  // Anthropic has no structured-output flag: the schema goes in as an instruction, JSON via prefill.
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const req = withSchemaInstruction(request);
    try {
      const msg = await this.client.messages.create(toAnthropicBody(req, this.spec.capabilities.maxOutputTokens), { signal: req.signal });
      return fromAnthropicMessage(msg, req.jsonMode === true);
    } catch (err) {
      throw fromAnthropicError(err, req.signal);
    }
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamDelta> {
    const req = withSchemaInstruction(request);
    let finishReason: FinishReason = 'stop';
    const usage = { inputTokens: 0, outputTokens: 0 };
    let model = req.model;
    // Anthropic numbers content blocks across text and tool_use; Weaver numbers tool calls only.
    const toolIndexOfBlock = new Map<number, number>();
    try {
      const events = await this.client.messages.create(
        { ...toAnthropicBody(req, this.spec.capabilities.maxOutputTokens), stream: true },
        { signal: req.signal },
      );
      if (req.jsonMode) yield { type: 'text', text: JSON_PREFILL };
      for await (const ev of events) {
        switch (ev.type) {
          case 'message_start':
            model = ev.message.model;
            usage.inputTokens = ev.message.usage.input_tokens;
            usage.outputTokens = ev.message.usage.output_tokens;
            break;
          case 'content_block_start':
            if (ev.content_block.type === 'tool_use') {
              const index = toolIndexOfBlock.size;
              toolIndexOfBlock.set(ev.index, index);
              yield { type: 'tool-call', index, id: ev.content_block.id, name: ev.content_block.name, argumentsDelta: '' };
            }
            break;
          case 'content_block_delta':
            if (ev.delta.type === 'text_delta') yield { type: 'text', text: ev.delta.text };
            else if (ev.delta.type === 'input_json_delta') {
              yield { type: 'tool-call', index: toolIndexOfBlock.get(ev.index) ?? 0, argumentsDelta: ev.delta.partial_json };
            }
            break;
          case 'message_delta':
            finishReason = finishReasonOf(ev.delta.stop_reason);
            usage.outputTokens = ev.usage.output_tokens;
            if (ev.usage.input_tokens != null) usage.inputTokens = ev.usage.input_tokens;
            break;
          default:
            break;
        }
      }
    } catch (err) {
      throw fromAnthropicError(err, req.signal);
    }
    yield { type: 'finish', finishReason, usage, model };
  }

  async embed(): Promise<EmbedResult> {
    throw new ProviderError('unsupported', this.provider, 'Anthropic offers no embeddings API; route embeddings to another model');
  }

  async close(): Promise<void> {
    // Connections belong to the shared pool.
  }
}
