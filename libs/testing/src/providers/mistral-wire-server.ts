import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { ProviderWireServer, type WireContext } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { countWireTokens, pieces, wireReply, type NeutralMessage } from './wire-reply';
import { wireVector } from './wire-vectors';

interface MistralChatBody {
  model?: string;
  messages?: Array<{ role: NeutralMessage['role']; content?: string | null }>;
  tools?: Array<{ function: { name: string } }>;
  response_format?: { type?: string };
  stream?: boolean;
  max_tokens?: number;
}

/**
 * Mistral's La Plateforme API on loopback: `POST /v1/chat/completions` (snake_case JSON; SSE
 * chunks whose last one carries `finish_reason` and `usage`, then `data: [DONE]`; tool calls in
 * one piece with 9-character ids), `POST /v1/embeddings` (`input`), and Mistral's error bodies:
 * `{"object":"error","message":…,"type":…,"param":null,"code":"3051"}` for a prompt beyond the
 * context, `{"message":"Requests rate limit exceeded"}` on 429.
 */
export class MistralWireServer extends ProviderWireServer {
  private seq = 0;

  protected credentialOf(req: IncomingMessage): string | undefined {
    return req.headers.authorization?.replace(/^Bearer /, '');
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number }): WireError {
    const error = (status: number, message: string, type: string, code: string): WireError => ({ status, body: { object: 'error', message, type, param: null, code } });
    switch (fault.type) {
      case 'rate-limit':
        return { status: 429, headers: { 'retry-after': String(fault.retryAfterS ?? 1) }, body: { message: 'Requests rate limit exceeded' } };
      case 'overloaded':
        return error(503, 'Service tier capacity exceeded for this model.', 'service_tier_capacity_exceeded', '3505');
      case 'unauthorized':
        return { status: 401, body: { message: 'Unauthorized', request_id: 'req-wire' } };
      case 'context-overflow':
        return error(400, `Prompt contains ${detail.promptTokens} tokens and 0 draft tokens, too large for model with ${this.contextWindow} maximum context length`, 'invalid_request_prompt', '3051');
      default:
        return error(500, 'Internal server error', 'internal_server_error', '1000');
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    if (req.method === 'POST' && req.url === '/v1/chat/completions') return this.chat(res, body as MistralChatBody, fault);
    if (req.method === 'POST' && req.url === '/v1/embeddings') {
      if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
      const { model, input } = body as { model: string; input: string | string[] };
      const texts = Array.isArray(input) ? input : [input];
      const tokens = texts.reduce((n, t) => n + countWireTokens(t), 0);
      return this.sendJson(res, {
        id: `emb-${++this.seq}`,
        object: 'list',
        model,
        data: texts.map((t, index) => ({ object: 'embedding', embedding: wireVector(t), index })),
        usage: { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0 },
      });
    }
    this.sendError(res, { status: 404, body: { detail: 'Not Found' } });
  }

  private chat(res: ServerResponse, body: MistralChatBody, fault: WireFault | undefined): void {
    const model = body.model ?? 'mistral-small-latest';
    const messages: NeutralMessage[] = (body.messages ?? []).map((m) => ({ role: m.role, text: m.content ?? '' }));
    const json = body.response_format?.type === 'json_object' || body.response_format?.type === 'json_schema';
    const reply = wireReply(model, messages, (body.tools ?? []).map((t) => t.function), json);
    if (fault?.type === 'context-overflow' || reply.promptTokens + (body.max_tokens ?? 0) > this.contextWindow) {
      return this.sendError(res, this.errorFor({ type: 'context-overflow' }, reply));
    }
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const id = `cmpl-${++this.seq}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + reply.completionTokens };
    const call = reply.toolCall;
    // Mistral's tool-call ids are nine letters and digits.
    const toolCalls = call ? [{ id: createHash('sha256').update(call.id).digest('base64url').replace(/[-_]/g, 'x').slice(0, 9), type: 'function', function: { name: call.name, arguments: call.arguments }, index: 0 }] : undefined;
    const finish = call ? 'tool_calls' : 'stop';
    if (!body.stream) {
      return this.sendJson(res, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: call ? '' : reply.text, tool_calls: toolCalls ?? null, prefix: false }, finish_reason: finish }], usage });
    }
    this.startSse(res);
    const send = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}): boolean =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`);
    send({ role: 'assistant', content: '' });
    for (const [i, p] of pieces(reply.text).entries()) {
      send({ content: p });
      if (fault?.type === 'mid-stream-error' && i === 1) {
        res.write(`data: ${JSON.stringify({ object: 'error', message: 'Internal server error', type: 'internal_server_error', param: null, code: '1000' })}\n\n`);
        return void res.end();
      }
    }
    if (toolCalls) send({ tool_calls: toolCalls }, 'tool_calls', { usage });
    else send({ content: '' }, finish, { usage });
    res.write('data: [DONE]\n\n');
    res.end();
  }
}
