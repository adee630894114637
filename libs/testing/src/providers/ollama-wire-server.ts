import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { countWireTokens, pieces, wireReply, type NeutralMessage } from './wire-reply';
import { wireVector } from './wire-vectors';

interface OllamaChatBody {
  model?: string;
  messages?: Array<{ role: NeutralMessage['role']; content?: string; tool_calls?: unknown[] }>;
  tools?: Array<{ function: { name: string } }>;
  format?: unknown;
  stream?: boolean;
  options?: { num_predict?: number };
}

/**
 * Ollama's native HTTP API on loopback: `POST /api/chat` (one JSON object, or NDJSON —
 * `application/x-ndjson`, one object per line, the last with `done: true`, `done_reason` and the
 * counts `prompt_eval_count` / `eval_count`), tool calls whole with object arguments and no id,
 * `POST /api/embed` (`{"embeddings": [[...]]}`), and Ollama's error body `{"error": "..."}`:
 * 503 "server busy" (its queue limit; Ollama has no 429), 400 for input beyond the context.
 * Streamed by default, as Ollama is, unless `"stream": false`.
 */
export class OllamaWireServer extends ProviderWireServer {
  protected credentialOf(req: IncomingMessage): string | undefined {
    return req.headers.authorization?.replace(/^Bearer /, '');
  }

  protected errorFor(fault: WireFault): WireError {
    const shape = (status: number, error: string): WireError => ({ status, body: { error } });
    switch (fault.type) {
      case 'rate-limit':
      case 'overloaded':
        return shape(503, 'server busy, please try again.  maximum pending requests exceeded');
      case 'unauthorized':
        return shape(401, 'unauthorized');
      case 'context-overflow':
        return shape(400, 'the input length exceeds the context length');
      default:
        return shape(500, 'llama runner process has terminated: exit status 2');
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    if (req.method === 'POST' && req.url === '/api/chat') return this.chat(res, body as OllamaChatBody, fault);
    if (req.method === 'POST' && req.url === '/api/embed') {
      if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault));
      const { model, input } = body as { model: string; input: string | string[] };
      const texts = Array.isArray(input) ? input : [input];
      if (texts.some((t) => countWireTokens(t) > this.contextWindow)) return this.sendError(res, this.errorFor({ type: 'context-overflow' }));
      return this.sendJson(res, { model, embeddings: texts.map((t) => wireVector(t)), total_duration: 1000, load_duration: 10, prompt_eval_count: texts.reduce((n, t) => n + countWireTokens(t), 0) });
    }
    this.sendError(res, { status: 404, body: { error: '404 page not found' } });
  }

  private chat(res: ServerResponse, body: OllamaChatBody, fault: WireFault | undefined): void {
    const model = body.model ?? 'llama3.2';
    const messages: NeutralMessage[] = (body.messages ?? []).map((m) => ({ role: m.role, text: m.content ?? '' }));
    const reply = wireReply(model, messages, (body.tools ?? []).map((t) => t.function), body.format !== undefined);
    if (fault?.type === 'context-overflow' || reply.promptTokens > this.contextWindow) return this.sendError(res, this.errorFor({ type: 'context-overflow' }));
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault));
    const at = (): string => new Date().toISOString();
    const toolCalls = reply.toolCall ? [{ function: { name: reply.toolCall.name, arguments: JSON.parse(reply.toolCall.arguments) as unknown } }] : undefined;
    const done = { done: true, done_reason: 'stop', total_duration: 5000, load_duration: 100, prompt_eval_count: reply.promptTokens, prompt_eval_duration: 1000, eval_count: reply.completionTokens, eval_duration: 2000 };
    if (body.stream === false) {
      return this.sendJson(res, { model, created_at: at(), message: { role: 'assistant', content: reply.text, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, ...done });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (o: unknown): boolean => res.write(`${JSON.stringify(o)}\n`);
    for (const [i, p] of pieces(reply.text).entries()) {
      line({ model, created_at: at(), message: { role: 'assistant', content: p }, done: false });
      if (fault?.type === 'mid-stream-error' && i === 1) {
        line({ error: 'an error was encountered while running the model: unexpected EOF' });
        return void res.end();
      }
    }
    if (toolCalls) line({ model, created_at: at(), message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false });
    line({ model, created_at: at(), message: { role: 'assistant', content: '' }, ...done });
    res.end();
  }
}
