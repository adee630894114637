import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { pieces, wireReply, countWireTokens, type NeutralMessage } from './wire-reply';
import { wireVector } from './wire-vectors';

interface GeminiPart {
  text?: string;
  functionCall?: { name: string; args?: unknown };
  functionResponse?: { name: string; response?: unknown };
}
interface GeminiBody {
  contents?: Array<{ role?: string; parts?: GeminiPart[] }>;
  systemInstruction?: { parts?: GeminiPart[] };
  tools?: Array<{ functionDeclarations?: Array<{ name: string }> }>;
  generationConfig?: { responseMimeType?: string; maxOutputTokens?: number };
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)(\?alt=sse)?$/;

const neutral = (body: GeminiBody): NeutralMessage[] => [
  ...(body.systemInstruction?.parts ?? []).map((p): NeutralMessage => ({ role: 'system', text: p.text ?? '' })),
  ...(body.contents ?? []).map((c): NeutralMessage => {
    const response = c.parts?.find((p) => p.functionResponse)?.functionResponse?.response as { output?: unknown } | undefined;
    if (response) return { role: 'tool', text: typeof response.output === 'string' ? response.output : JSON.stringify(response) };
    return { role: c.role === 'model' ? 'assistant' : 'user', text: (c.parts ?? []).map((p) => p.text ?? '').join('') };
  }),
];

/**
 * The Gemini API on loopback: `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` (each SSE `data:` a whole GenerateContentResponse with
 * cumulative `usageMetadata`, `\r\n\r\n`-delimited as Google sends them), `:batchEmbedContents`,
 * the `x-goog-api-key` header, function calls whole (`functionCall.args` an object), and
 * Google's error body `{"error":{"code","message","status","details"}}` (429
 * RESOURCE_EXHAUSTED with RetryInfo, 400 API_KEY_INVALID, 400 for a prompt beyond the window).
 */
export class GeminiWireServer extends ProviderWireServer {
  protected credentialOf(req: IncomingMessage): string | undefined {
    const key = req.headers['x-goog-api-key'];
    return typeof key === 'string' ? key : undefined;
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number }): WireError {
    const error = (code: number, status: string, message: string, details: unknown[] = []): WireError => ({ status: code, body: { error: { code, message, status, details } } });
    switch (fault.type) {
      case 'rate-limit':
        return error(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${fault.retryAfterS ?? 1}s` },
        ]);
      case 'overloaded':
        return error(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
      case 'unauthorized':
        return error(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]);
      case 'context-overflow':
        return error(400, 'INVALID_ARGUMENT', `The input token count (${detail.promptTokens}) exceeds the maximum number of tokens allowed (${this.contextWindow}).`);
      default:
        return error(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    }
  }

  protected async handle({ req, res, body, fault }: WireContext): Promise<void> {
    const route = req.method === 'POST' ? ROUTE.exec(req.url ?? '') : null;
    if (!route) return this.sendError(res, { status: 404, body: { error: { code: 404, message: `Not found: ${req.url}`, status: 'NOT_FOUND' } } });
    const [, model = '', method] = route;
    if (method === 'batchEmbedContents') {
      if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
      const requests = (body as { requests: Array<{ content: { parts: GeminiPart[] } }> }).requests;
      return this.sendJson(res, { embeddings: requests.map((r) => ({ values: wireVector(r.content.parts.map((p) => p.text ?? '').join('')) })) });
    }
    if (method === 'streamGenerateContent' && !route[3]) return this.sendError(res, { status: 400, body: { error: { code: 400, message: 'this fake speaks SSE only: alt=sse', status: 'INVALID_ARGUMENT' } } });
    return this.generate(res, model, body as GeminiBody, fault, method === 'streamGenerateContent');
  }

  private generate(res: ServerResponse, model: string, body: GeminiBody, fault: WireFault | undefined, stream: boolean): void {
    const tools = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
    const reply = wireReply(model, neutral(body), tools, body.generationConfig?.responseMimeType === 'application/json');
    if (fault?.type === 'context-overflow' || reply.promptTokens > this.contextWindow) return this.sendError(res, this.errorFor({ type: 'context-overflow' }, reply));
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const usage = (output: number) => ({ promptTokenCount: reply.promptTokens, candidatesTokenCount: output, totalTokenCount: reply.promptTokens + output, promptTokensDetails: [{ modality: 'TEXT', tokenCount: reply.promptTokens }] });
    const call = reply.toolCall;
    const response = (parts: GeminiPart[], output: number, finishReason?: string) => ({
      candidates: [{ content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }],
      usageMetadata: usage(output),
      modelVersion: model,
      responseId: 'wire-response',
    });
    const callPart: GeminiPart[] = call ? [{ functionCall: { name: call.name, args: JSON.parse(call.arguments) as unknown } }] : [];
    if (!stream) return this.sendJson(res, response(call ? callPart : [{ text: reply.text }], reply.completionTokens, 'STOP'));
    this.startSse(res);
    const send = (o: unknown): boolean => res.write(`data: ${JSON.stringify(o)}\r\n\r\n`);
    if (call) send(response(callPart, reply.completionTokens, 'STOP'));
    else {
      const parts = pieces(reply.text);
      let so = '';
      for (const [i, p] of parts.entries()) {
        so += p;
        send(response([{ text: p }], countWireTokens(so), i === parts.length - 1 ? 'STOP' : undefined));
        if (fault?.type === 'mid-stream-error' && i === 1) {
          send({ error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } });
          return void res.end();
        }
      }
    }
    res.end();
  }
}
