import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { countWireTokens, fragments, pieces, wireReply, type NeutralMessage } from './wire-reply';
import { wireVector } from './wire-vectors';

interface ChatBody {
  model?: string;
  messages?: Array<{ role: NeutralMessage['role']; content?: string | null }>;
  tools?: Array<{ function: { name: string } }>;
  response_format?: { type?: string };
  stream?: boolean;
  max_tokens?: number;
}

/**
 * Hugging Face Text Generation Inference (the server behind Inference Endpoints) on loopback:
 * the Messages API `POST /v1/chat/completions` (OpenAI-shaped JSON and SSE, tool calls), Text
 * Embeddings Inference `POST /embed` (`{"inputs": [...]}` → `number[][]`), and TGI's error body
 * `{"error": "...", "error_type": "..."}`: 429 overloaded, 422 validation for prompts that do
 * not fit, 500 generation errors.
 */
export class TgiWireServer extends ProviderWireServer {
  private seq = 0;

  protected credentialOf(req: IncomingMessage): string | undefined {
    return req.headers.authorization?.replace(/^Bearer /, '');
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number; maxTokens?: number }): WireError {
    const shape = (status: number, error: string, errorType: string, headers?: Record<string, string>): WireError => ({
      status,
      headers,
      body: { error, error_type: errorType },
    });
    switch (fault.type) {
      case 'rate-limit':
        return shape(429, 'Model is overloaded', 'overloaded', { 'retry-after': String(fault.retryAfterS ?? 1) });
      case 'overloaded':
        return shape(503, 'Model is overloaded', 'overloaded');
      case 'unauthorized':
        return shape(401, 'Authorization header is correct, but the token seems invalid', 'unauthorized');
      case 'context-overflow':
        return shape(
          422,
          `Input validation error: \`inputs\` tokens + \`max_new_tokens\` must be <= ${this.contextWindow}. Given: ${detail.promptTokens} \`inputs\` tokens and ${detail.maxTokens ?? 0} \`max_new_tokens\``,
          'validation',
        );
      default:
        return shape(500, 'Request failed during generation: Server error: CUDA out of memory', 'generation');
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    if (req.method === 'POST' && req.url?.endsWith('/v1/chat/completions')) return this.chat(res, body as ChatBody, fault);
    if (req.method === 'POST' && req.url?.endsWith('/embed')) {
      if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
      const inputs = (body as { inputs: string | string[] }).inputs;
      return this.sendJson(res, (Array.isArray(inputs) ? inputs : [inputs]).map((t) => wireVector(t)));
    }
    this.sendError(res, { status: 404, body: { error: `Not found: ${req.url}`, error_type: 'not_found' } });
  }

  private chat(res: ServerResponse, body: ChatBody, fault: WireFault | undefined): void {
    const model = body.model ?? 'tgi';
    const messages: NeutralMessage[] = (body.messages ?? []).map((m) => ({ role: m.role, text: m.content ?? '' }));
    const reply = wireReply(model, messages, (body.tools ?? []).map((t) => t.function), body.response_format?.type === 'json_object');
    const maxTokens = body.max_tokens ?? 0;
    if (fault?.type === 'context-overflow' || reply.promptTokens + maxTokens > this.contextWindow) {
      return this.sendError(res, this.errorFor({ type: 'context-overflow' }, { promptTokens: reply.promptTokens, maxTokens }));
    }
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const id = `tgi-${++this.seq}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + countWireTokens(reply.text) };
    const finish = reply.toolCall ? 'tool_calls' : 'stop';
    if (!body.stream) {
      const toolCalls = reply.toolCall ? [{ id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }] : undefined;
      return this.sendJson(res, {
        object: 'chat.completion',
        id,
        created,
        model,
        system_fingerprint: '3.3.6-native',
        choices: [{ index: 0, message: { role: 'assistant', content: reply.toolCall ? null : reply.text, tool_calls: toolCalls }, logprobs: null, finish_reason: finish }],
        usage,
      });
    }
    this.startSse(res);
    const send = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}): void => {
      const chunk = { object: 'chat.completion.chunk', id, created, model, system_fingerprint: '3.3.6-native', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: null, ...extra };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    for (const [i, p] of pieces(reply.text).entries()) {
      send({ role: 'assistant', content: p });
      if (fault?.type === 'mid-stream-error' && i === 1) {
        res.write(`data: ${JSON.stringify({ error: 'Request failed during generation: Server error: CUDA out of memory', error_type: 'generation' })}\n\n`);
        return void res.end();
      }
    }
    if (reply.toolCall) {
      send({ role: 'assistant', tool_calls: [{ index: 0, id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: '' } }] });
      for (const f of fragments(reply.toolCall.arguments)) send({ role: 'assistant', tool_calls: [{ index: 0, id: '', type: 'function', function: { name: null, arguments: f } }] });
    }
    send({ role: 'assistant', content: '' }, finish);
    res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', id, created, model, system_fingerprint: '3.3.6-native', choices: [], usage })}\n\n`);
    res.write('data: [DONE]\n\n');
    res.end();
  }
}
