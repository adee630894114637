import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { fragments, pieces, wireReply, type NeutralMessage } from './wire-reply';

type Block = { type: string; text?: string; content?: string | Array<{ text?: string }>; name?: string };
interface MessagesBody {
  model?: string;
  max_tokens?: number;
  system?: string | Block[];
  messages?: Array<{ role: 'user' | 'assistant'; content: string | Block[] }>;
  tools?: Array<{ name: string }>;
  stream?: boolean;
}

const blocksOf = (c: string | Block[]): Block[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);
const resultText = (c: Block['content']): string => (typeof c === 'string' ? c : (c ?? []).map((b) => b.text ?? '').join(''));

/**
 * Anthropic's Messages API on loopback: `POST /v1/messages` as JSON and as SSE (`message_start`,
 * `content_block_start/delta/stop` with `text_delta` and `input_json_delta`, `ping`,
 * `message_delta`, `message_stop`, and `event: error`), `x-api-key` or bearer auth, Anthropic's error
 * envelope (`rate_limit_error` + retry-after, `api_error`, 529 `overloaded_error`,
 * "prompt is too long"). A trailing assistant turn is a prefill the answer continues.
 */
export class AnthropicWireServer extends ProviderWireServer {
  private seq = 0;

  protected credentialOf(req: IncomingMessage): string | undefined {
    // Older SDKs send `x-api-key`; SDK 1.x sends `authorization: Bearer`: the API takes both.
    const key = req.headers['x-api-key'];
    return typeof key === 'string' ? key : req.headers.authorization?.replace(/^Bearer /, '');
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number }): WireError {
    const shape = (status: number, type: string, message: string, headers?: Record<string, string>): WireError => ({
      status,
      headers: { 'request-id': `req_wire_${this.seq}`, ...headers },
      body: { type: 'error', error: { type, message } },
    });
    switch (fault.type) {
      case 'rate-limit':
        return shape(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', {
          'retry-after': String(fault.retryAfterS ?? 1),
          'anthropic-ratelimit-requests-remaining': '0',
        });
      case 'overloaded':
        return shape(529, 'overloaded_error', 'Overloaded');
      case 'unauthorized':
        return shape(401, 'authentication_error', 'invalid x-api-key');
      case 'context-overflow':
        return shape(400, 'invalid_request_error', `prompt is too long: ${detail.promptTokens} tokens > ${this.contextWindow} maximum`);
      default:
        return shape(500, 'api_error', 'Internal server error');
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    if (req.method === 'POST' && req.url?.startsWith('/v1/messages')) return this.messages(res, body as MessagesBody, fault);
    this.sendError(res, { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: `Not found: ${req.url}` } } });
  }

  private messages(res: ServerResponse, body: MessagesBody, fault: WireFault | undefined): void {
    const model = body.model ?? 'unknown';
    if (!body.max_tokens) {
      return this.sendError(res, { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } });
    }
    const neutral: NeutralMessage[] = [];
    const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text ?? '').join('');
    if (system) neutral.push({ role: 'system', text: system });
    for (const m of body.messages ?? []) {
      for (const b of blocksOf(m.content)) {
        if (b.type === 'tool_result') neutral.push({ role: 'tool', text: resultText(b.content) });
        else if (b.type === 'text') neutral.push({ role: m.role, text: b.text ?? '' });
      }
    }
    const last = neutral[neutral.length - 1];
    const prefill = last?.role === 'assistant' ? last.text : '';
    const reply = wireReply(model, prefill ? neutral.slice(0, -1) : neutral, body.tools ?? [], prefill.startsWith('{'), prefill);
    if (fault?.type === 'context-overflow' || reply.promptTokens > this.contextWindow) {
      return this.sendError(res, this.errorFor({ type: 'context-overflow' }, reply));
    }
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const id = `msg_wire_${++this.seq}`;
    const tool = reply.toolCall ? { type: 'tool_use', id: reply.toolCall.id.replace(/^call_/, 'toolu_'), name: reply.toolCall.name, input: JSON.parse(reply.toolCall.arguments) as unknown } : undefined;
    const stopReason = tool ? 'tool_use' : 'end_turn';
    const usage = { input_tokens: reply.promptTokens, output_tokens: reply.completionTokens };
    if (!body.stream) {
      const content = tool ? [tool] : [{ type: 'text', text: reply.text }];
      return this.sendJson(res, { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage });
    }
    this.startSse(res);
    const event = (type: string, data: Record<string, unknown>): boolean => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
    let index = 0;
    if (reply.text) {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      event('ping', {});
      for (const [i, p] of pieces(reply.text).entries()) {
        event('content_block_delta', { index, delta: { type: 'text_delta', text: p } });
        if (fault?.type === 'mid-stream-error' && i === 1) {
          event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
          return void res.end();
        }
      }
      event('content_block_stop', { index });
      index++;
    }
    if (tool) {
      event('content_block_start', { index, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } });
      for (const f of fragments(JSON.stringify(tool.input))) event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: f } });
      event('content_block_stop', { index });
    }
    event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    event('message_stop', {});
    res.end();
  }
}
