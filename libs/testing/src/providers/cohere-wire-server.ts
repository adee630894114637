import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { countWireTokens, fragments, pieces, wireReply, type NeutralMessage } from './wire-reply';
import { wireVector } from './wire-vectors';

interface CohereChatBody {
  model?: string;
  messages?: Array<{ role: NeutralMessage['role']; content?: string | Array<{ text?: string }>; tool_calls?: unknown[] }>;
  tools?: Array<{ function: { name: string } }>;
  response_format?: { type?: string };
  stream?: boolean;
  max_tokens?: number;
}

const textOf = (c: string | Array<{ text?: string }> | undefined): string => (typeof c === 'string' ? c : (c ?? []).map((p) => p.text ?? '').join(''));

/**
 * Cohere's v2 API on loopback: `POST /v2/chat` (content blocks, `tool_calls`, `finish_reason`
 * COMPLETE / TOOL_CALL, usage as `billed_units` and `tokens`), its SSE stream (`event:` lines
 * and typed `data:` objects — message-start, content-start/delta/end, tool-plan-delta,
 * tool-call-start/delta/end, message-end — then `data: [DONE]`), `POST /v2/embed`
 * (`embeddings.float`, `meta.billed_units`) and Cohere's error body `{"id":…,"message":…}`.
 */
export class CohereWireServer extends ProviderWireServer {
  private seq = 0;

  protected credentialOf(req: IncomingMessage): string | undefined {
    return req.headers.authorization?.replace(/^Bearer /, '');
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number }): WireError {
    const error = (status: number, message: string, headers?: Record<string, string>): WireError => ({ status, headers, body: { id: `err-${this.seq}`, message } });
    switch (fault.type) {
      case 'rate-limit':
        return error(429, 'You are using a Trial key, which is limited to 20 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits.', { 'retry-after': String(fault.retryAfterS ?? 1) });
      case 'overloaded':
        return error(503, 'service unavailable');
      case 'unauthorized':
        return error(401, 'invalid api token');
      case 'context-overflow':
        return error(400, `too many tokens: size limit exceeded by ${Math.max(1, detail.promptTokens - this.contextWindow)} tokens. Try using shorter or fewer inputs.`);
      default:
        return error(500, 'internal server error, this has been reported to our developers');
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    if (req.method === 'POST' && req.url === '/v2/chat') return this.chat(res, body as CohereChatBody, fault);
    if (req.method === 'POST' && req.url === '/v2/embed') {
      if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
      const { texts } = body as { texts: string[] };
      return this.sendJson(res, {
        id: `emb-${++this.seq}`,
        embeddings: { float: texts.map((t) => wireVector(t)) },
        texts,
        meta: { api_version: { version: '2' }, billed_units: { input_tokens: texts.reduce((n, t) => n + countWireTokens(t), 0) } },
        response_type: 'embeddings_by_type',
      });
    }
    this.sendError(res, { status: 404, body: { message: `route ${req.url} not found` } });
  }

  private chat(res: ServerResponse, body: CohereChatBody, fault: WireFault | undefined): void {
    const model = body.model ?? 'command-r';
    const messages: NeutralMessage[] = (body.messages ?? []).map((m) => ({ role: m.role, text: textOf(m.content) }));
    const reply = wireReply(model, messages, (body.tools ?? []).map((t) => t.function), body.response_format?.type === 'json_object');
    if (fault?.type === 'context-overflow' || reply.promptTokens + (body.max_tokens ?? 0) > this.contextWindow) return this.sendError(res, this.errorFor({ type: 'context-overflow' }, reply));
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const id = `cohere-${++this.seq}`;
    const call = reply.toolCall;
    // billed_units are the prompt as sent; tokens add Cohere's own preamble (here: 7 tokens).
    const usage = { billed_units: { input_tokens: reply.promptTokens, output_tokens: reply.completionTokens }, tokens: { input_tokens: reply.promptTokens + 7, output_tokens: reply.completionTokens } };
    const finish = call ? 'TOOL_CALL' : 'COMPLETE';
    const toolCall = call ? { id: `${call.name}_${call.id.slice(5, 13)}`, type: 'function', function: { name: call.name, arguments: call.arguments } } : undefined;
    if (!body.stream) {
      const message = call ? { role: 'assistant', tool_plan: `I will use ${call.name}.`, tool_calls: [toolCall] } : { role: 'assistant', content: [{ type: 'text', text: reply.text }] };
      return this.sendJson(res, { id, message, finish_reason: finish, usage });
    }
    this.startSse(res);
    const send = (o: { type: string } & Record<string, unknown>): boolean => res.write(`event: ${o.type}\ndata: ${JSON.stringify(o)}\n\n`);
    send({ id, type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } });
    if (toolCall) {
      send({ type: 'tool-plan-delta', delta: { message: { tool_plan: `I will use ${toolCall.function.name}.` } } });
      send({ type: 'tool-call-start', index: 0, delta: { message: { tool_calls: { ...toolCall, function: { name: toolCall.function.name, arguments: '' } } } } });
      for (const f of fragments(toolCall.function.arguments)) send({ type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: f } } } } });
      send({ type: 'tool-call-end', index: 0 });
    } else {
      send({ type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } });
      for (const [i, p] of pieces(reply.text).entries()) {
        send({ type: 'content-delta', index: 0, delta: { message: { content: { text: p } } } });
        if (fault?.type === 'mid-stream-error' && i === 1) {
          send({ type: 'message-end', delta: { error: 'internal server error, this has been reported to our developers' } });
          return void res.end();
        }
      }
      send({ type: 'content-end', index: 0 });
    }
    send({ type: 'message-end', delta: { finish_reason: finish, usage } });
    res.write('data: [DONE]\n\n');
    res.end();
  }
}
