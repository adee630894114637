import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext, type WireServerOptions } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { countWireTokens, fragments, pieces, wireReply, type NeutralMessage } from './wire-reply';
import { base64Floats, wireVector } from './wire-vectors';

interface ChatBody {
  model?: string;
  messages?: Array<{ role: NeutralMessage['role'] | 'developer'; content?: string | null | Array<{ text?: string }>; tool_calls?: unknown[] }>;
  tools?: Array<{ function: { name: string } }>;
  response_format?: { type?: string; json_schema?: { name?: string; schema?: unknown } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
}

export interface OpenAIWireOptions extends WireServerOptions {
  /** `vllm` renders errors the way vLLM's OpenAI-compatible server does. */
  flavour?: 'openai' | 'vllm';
}

const textOf = (c: string | null | undefined | Array<{ text?: string }>): string =>
  typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p.text ?? '').join('') : '';

/**
 * The OpenAI HTTP API on loopback: `POST /v1/chat/completions` (JSON and SSE with `data: [DONE]`,
 * tool-call deltas, `stream_options.include_usage`) and `POST /v1/embeddings` (float and base64),
 * with OpenAI's error bodies, `retry-after` on 429, and `context_length_exceeded`. With
 * `flavour: 'vllm'` it is a self-hosted OpenAI-compatible server.
 */
export class OpenAIWireServer extends ProviderWireServer {
  private seq = 0;

  constructor(protected override readonly options: OpenAIWireOptions = {}) {
    super(options);
  }

  protected credentialOf(req: IncomingMessage): string | undefined {
    return req.headers.authorization?.replace(/^Bearer /, '');
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number }): WireError {
    const vllm = this.options.flavour === 'vllm';
    const shape = (status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): WireError => ({
      status,
      headers,
      // vLLM (since its ErrorResponse moved under "error") differs only in a numeric code and its own type names.
      body: { error: { message, type, param: null, code: vllm ? status : code } },
    });
    switch (fault.type) {
      case 'rate-limit':
        return shape(429, 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.', 'requests', 'rate_limit_exceeded', {
          'retry-after': String(fault.retryAfterS ?? 1),
          'x-ratelimit-remaining-requests': '0',
        });
      case 'overloaded':
        return shape(503, 'The engine is currently overloaded, please try again later', 'server_error', null);
      case 'unauthorized':
        return shape(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      case 'context-overflow':
        return shape(
          400,
          `This model's maximum context length is ${this.contextWindow} tokens. However, your messages resulted in ${detail.promptTokens} tokens. Please reduce the length of the messages.`,
          vllm ? 'BadRequestError' : 'invalid_request_error',
          'context_length_exceeded',
        );
      default:
        return shape(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) return this.chat(res, body as ChatBody, fault);
    if (req.method === 'POST' && req.url?.endsWith('/embeddings')) return this.embeddings(res, body as { model: string; input: string | string[]; encoding_format?: string }, fault);
    this.sendError(res, { status: 404, body: { error: { message: `Unknown request URL: ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } } });
  }

  private async chat(res: ServerResponse, body: ChatBody, fault: WireFault | undefined): Promise<void> {
    const model = body.model ?? 'unknown';
    const messages: NeutralMessage[] = (body.messages ?? []).map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, text: textOf(m.content) }));
    // json_schema (structured output) answers like JSON mode: the same deterministic object.
    const json = body.response_format?.type === 'json_object' || body.response_format?.type === 'json_schema';
    const reply = wireReply(model, messages, (body.tools ?? []).map((t) => t.function), json);
    const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? 0;
    if (fault?.type === 'context-overflow' || reply.promptTokens + maxTokens > this.contextWindow) {
      return this.sendError(res, this.errorFor({ type: 'context-overflow' }, { promptTokens: reply.promptTokens }));
    }
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const id = `chatcmpl-${++this.seq}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + reply.completionTokens };
    const finish = reply.toolCall ? 'tool_calls' : 'stop';
    const toolCalls = reply.toolCall ? [{ id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }] : undefined;
    if (!body.stream) {
      return this.sendJson(res, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.toolCall ? null : reply.text, tool_calls: toolCalls, refusal: null }, logprobs: null, finish_reason: finish }],
        usage,
        system_fingerprint: 'fp_wire',
      });
    }
    this.startSse(res);
    const send = (delta: Record<string, unknown>, finishReason: string | null = null): void => {
      const chunk = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_wire', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    send({ role: 'assistant', content: '', refusal: null });
    const textPieces = pieces(reply.text);
    for (const [i, p] of textPieces.entries()) {
      if (i > 0) await this.streamPause(i);
      send({ content: p });
      if (fault?.type === 'mid-stream-error' && i === 1) {
        res.write(`data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`);
        return void res.end();
      }
    }
    if (reply.toolCall) {
      send({ tool_calls: [{ index: 0, id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: '' } }] });
      for (const f of fragments(reply.toolCall.arguments)) send({ tool_calls: [{ index: 0, function: { arguments: f } }] });
    }
    send({}, finish);
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.write('data: [DONE]\n\n');
    res.end();
  }

  private embeddings(res: ServerResponse, body: { model: string; input: string | string[]; encoding_format?: string }, fault: WireFault | undefined): void {
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const tokens = inputs.reduce((n, t) => n + countWireTokens(t), 0);
    this.sendJson(res, {
      object: 'list',
      model: body.model,
      data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: body.encoding_format === 'base64' ? base64Floats(wireVector(t)) : wireVector(t) })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }
}
