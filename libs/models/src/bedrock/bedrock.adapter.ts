import {
  BedrockRuntimeClient,
  BedrockRuntimeServiceException,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  type ContentBlock,
  type ConverseCommandInput,
  type Message,
  type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AdapterSpec } from '../adapter-spec';
import type { ModelAdapter } from '../model-adapter';
import type { ChatMessage, EmbedRequest, EmbedResult, FinishReason, GenerateRequest, GenerateResult, ModelCapabilities, StreamDelta, ToolCall } from '../model-types';
import type { ProviderError } from '../provider-error';
import { withSchemaInstruction } from '../json-schema-instruction';
import { argumentsObject, finishOf, providerError, transportError, usageOf } from '../provider-mapping';

/** The SDK's JSON document type, as its tool-use block declares it. */
type DocumentType = NonNullable<ToolUseBlock['input']>;
const FINISH: Record<string, FinishReason> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', guardrail_intervened: 'content_filter', content_filtered: 'content_filter' };
export const JSON_INSTRUCTION = 'Answer with a single JSON object only.';

/** Converse wants user/assistant turns alternating: tool results join a user turn, system goes apart. */
function toConverse(messages: ChatMessage[]): { system: string[]; messages: Message[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const out: Message[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: ContentBlock[] = [];
    if (m.role === 'tool') blocks.push({ toolResult: { toolUseId: m.toolCallId ?? '', content: [{ text: m.content }] } });
    else if (m.content) blocks.push({ text: m.content });
    for (const c of m.toolCalls ?? []) blocks.push({ toolUse: { toolUseId: c.id, name: c.name, input: argumentsObject(c.arguments) as DocumentType } });
    const last = out[out.length - 1];
    if (last?.role === role) last.content?.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return { system, messages: out };
}

/** `options.access_key_id`… never: the key is `api_key_env` holding `<access key id>:<secret>`; without it the SDK's default chain. */
function credentialsOf(apiKey: string | undefined): { accessKeyId: string; secretAccessKey: string } | undefined {
  const at = apiKey?.indexOf(':') ?? -1;
  return apiKey && at > 0 ? { accessKeyId: apiKey.slice(0, at), secretAccessKey: apiKey.slice(at + 1) } : undefined;
}

/**
 * Amazon Bedrock through the official `@aws-sdk/client-bedrock-runtime`: the Converse API for
 * chat (one request shape for every Bedrock model; ConverseStream answers in AWS event-stream
 * frames), InvokeModel for Titan text embeddings (one text per call, sent concurrently).
 * Requests are SigV4-signed for `options.region` (default us-east-1). Converse has no JSON flag:
 * JSON is asked for by instruction. SDK retries off (`maxAttempts: 1`).
 */
export class BedrockAdapter implements ModelAdapter {
  readonly provider = 'bedrock';
  private readonly client: BedrockRuntimeClient;

  constructor(private readonly spec: AdapterSpec) {
    const credentials = credentialsOf(spec.apiKey);
    this.client = new BedrockRuntimeClient({
      region: String(spec.options['region'] ?? 'us-east-1'),
      ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      maxAttempts: 1,
      // HTTP/1.1 keep-alive: the client's default HTTP/2 handler exists for the bidirectional
      // stream API, which Weaver does not use; Converse and ConverseStream work on both.
      requestHandler: new NodeHttpHandler({ requestTimeout: spec.timeoutMs, connectionTimeout: Math.min(spec.timeoutMs, 5_000) }),
    });
  }

  capabilities(): ModelCapabilities {
    return this.spec.capabilities;
  }

  private input(request: GenerateRequest): ConverseCommandInput {
    const req = withSchemaInstruction(request);
    const { system, messages } = toConverse(req.messages);
    if (req.jsonMode) system.push(JSON_INSTRUCTION);
    return {
      modelId: req.model,
      messages,
      ...(system.length ? { system: system.map((text) => ({ text })) } : {}),
      ...(req.tools?.length ? { toolConfig: { tools: req.tools.map((t) => ({ toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.parameters as DocumentType } } })) } } : {}),
      inferenceConfig: { ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}), ...(req.temperature !== undefined ? { temperature: req.temperature } : {}) },
    };
  }

  private error(err: unknown, signal?: AbortSignal): ProviderError {
    if (err instanceof BedrockRuntimeServiceException) {
      // Exceptions framed inside a stream carry no HTTP metadata.
      return providerError(this.provider, { status: err.$metadata?.httpStatusCode ?? (err.$fault === 'server' ? 500 : undefined), message: err.message, code: err.name }, err);
    }
    return transportError(this.provider, err, signal);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    try {
      const out = await this.client.send(new ConverseCommand(this.input(req)), { abortSignal: req.signal });
      let content = '';
      const toolCalls: ToolCall[] = [];
      for (const b of out.output?.message?.content ?? []) {
        if (b.text !== undefined) content += b.text;
        else if (b.toolUse) toolCalls.push({ id: b.toolUse.toolUseId ?? '', name: b.toolUse.name ?? '', arguments: JSON.stringify(b.toolUse.input ?? {}) });
      }
      return { content, toolCalls, finishReason: finishOf(FINISH, out.stopReason), usage: usageOf(out.usage?.inputTokens, out.usage?.outputTokens), model: req.model };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async *stream(req: GenerateRequest): AsyncIterable<StreamDelta> {
    let finish: string | undefined;
    let usage = usageOf(0, 0);
    // Bedrock numbers content blocks across text and tool use; Weaver numbers tool calls only.
    const toolIndexOfBlock = new Map<number, number>();
    try {
      const out = await this.client.send(new ConverseStreamCommand(this.input(req)), { abortSignal: req.signal });
      for await (const ev of out.stream ?? []) {
        if (ev.contentBlockStart?.start?.toolUse) {
          const index = toolIndexOfBlock.size;
          toolIndexOfBlock.set(ev.contentBlockStart.contentBlockIndex ?? 0, index);
          yield { type: 'tool-call', index, id: ev.contentBlockStart.start.toolUse.toolUseId, name: ev.contentBlockStart.start.toolUse.name, argumentsDelta: '' };
        } else if (ev.contentBlockDelta?.delta?.text) yield { type: 'text', text: ev.contentBlockDelta.delta.text };
        else if (ev.contentBlockDelta?.delta?.toolUse) {
          yield { type: 'tool-call', index: toolIndexOfBlock.get(ev.contentBlockDelta.contentBlockIndex ?? 0) ?? 0, argumentsDelta: ev.contentBlockDelta.delta.toolUse.input ?? '' };
        } else if (ev.messageStop) finish = ev.messageStop.stopReason;
        else if (ev.metadata?.usage) usage = usageOf(ev.metadata.usage.inputTokens, ev.metadata.usage.outputTokens);
      }
    } catch (err) {
      throw this.error(err, req.signal);
    }
    yield { type: 'finish', finishReason: finishOf(FINISH, finish), usage, model: req.model };
  }

  /** Titan text embeddings v2 take one text per InvokeModel call. */
  async embed(req: EmbedRequest): Promise<EmbedResult> {
    try {
      const outs = await Promise.all(
        req.texts.map(async (inputText) => {
          const res = await this.client.send(new InvokeModelCommand({ modelId: req.model, contentType: 'application/json', accept: 'application/json', body: JSON.stringify({ inputText }) }), { abortSignal: req.signal });
          return JSON.parse(new TextDecoder().decode(res.body)) as { embedding: number[]; inputTextTokenCount?: number };
        }),
      );
      return { vectors: outs.map((o) => o.embedding), usage: usageOf(outs.reduce((n, o) => n + (o.inputTextTokenCount ?? 0), 0), 0), model: req.model };
    } catch (err) {
      throw this.error(err, req.signal);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
