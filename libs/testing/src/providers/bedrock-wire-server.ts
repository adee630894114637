import type { ServerResponse } from 'node:http';
import { ProviderWireServer, type WireContext, type WireServerOptions } from './wire-server';
import type { WireError, WireFault } from './wire-fault';
import { countWireTokens, fragments, pieces, wireReply, type NeutralMessage } from './wire-reply';
import { wireVector } from './wire-vectors';
import { streamEvent, streamException, verifySigV4 } from './aws-eventstream';

type Block = { text?: string; toolUse?: { toolUseId: string; name: string; input: unknown }; toolResult?: { toolUseId: string; content?: Array<{ text?: string; json?: unknown }> } };
interface ConverseBody {
  messages?: Array<{ role: 'user' | 'assistant'; content: Block[] }>;
  system?: Array<{ text?: string }>;
  toolConfig?: { tools?: Array<{ toolSpec: { name: string } }> };
  inferenceConfig?: { maxTokens?: number };
}

export interface BedrockWireOptions extends WireServerOptions {
  accessKeyId: string;
  secretAccessKey: string;
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

/** Turns in the neutral form: a tool result is a `tool` turn; JSON is asked for by instruction (Converse has no JSON flag). */
function neutral(body: ConverseBody): { messages: NeutralMessage[]; json: boolean } {
  const system = (body.system ?? []).map((s) => s.text ?? '');
  const messages: NeutralMessage[] = system.map((text) => ({ role: 'system', text }));
  for (const m of body.messages ?? []) {
    const result = m.content.find((b) => b.toolResult)?.toolResult;
    if (result) messages.push({ role: 'tool', text: (result.content ?? []).map((c) => c.text ?? JSON.stringify(c.json)).join('') });
    else messages.push({ role: m.role, text: m.content.map((b) => b.text ?? '').join('') });
  }
  return { messages, json: system.some((s) => /\bJSON\b/.test(s)) };
}

/**
 * Amazon Bedrock Runtime on loopback: `POST /model/{modelId}/converse` (JSON),
 * `/converse-stream` (`application/vnd.amazon.eventstream` binary frames: messageStart,
 * contentBlockStart/Delta/Stop, messageStop, metadata with usage; a modelled exception frame
 * mid-stream), `/invoke` for Titan text embeddings v2 (`{inputText}` → `{embedding,
 * inputTextTokenCount}`). Every request must carry a valid SigV4 signature for service
 * `bedrock` (403 otherwise); errors are `x-amzn-errortype` plus `{"message"}`:
 * ThrottlingException 429, ValidationException 400, ServiceUnavailableException 503.
 */
export class BedrockWireServer extends ProviderWireServer {
  /** Region and service of the last verified signature. */
  lastSignature?: { region?: string; service?: string };

  constructor(protected override readonly options: BedrockWireOptions) {
    super(options);
  }

  protected credentialOf(): string | undefined {
    return undefined; // SigV4 is verified in handle(), against the body
  }

  protected errorFor(fault: WireFault, detail: { promptTokens: number }): WireError {
    const error = (status: number, type: string, message: string): WireError => ({
      status,
      headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'wire-request' },
      body: { message },
    });
    switch (fault.type) {
      case 'rate-limit':
        return error(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
      case 'overloaded':
        return error(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
      case 'unauthorized':
        return error(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      case 'context-overflow':
        return error(400, 'ValidationException', `Input is too long for requested model. ${detail.promptTokens} tokens > ${this.contextWindow}.`);
      default:
        return error(500, 'InternalServerException', 'The server encountered an internal error.');
    }
  }

  protected async handle({ req, res, body, raw, fault }: WireContext): Promise<void> {
    const sig = verifySigV4(req, raw, this.options.accessKeyId, this.options.secretAccessKey);
    if (!sig.ok || sig.service !== 'bedrock') {
      const type = sig.reason?.startsWith('The request signature') ? 'InvalidSignatureException' : 'UnrecognizedClientException';
      return this.sendError(res, { ...this.errorFor({ type: 'unauthorized' }, { promptTokens: 0 }), headers: { 'x-amzn-errortype': type }, body: { message: sig.reason ?? `credential scope must name service bedrock, not ${sig.service}` } });
    }
    this.lastSignature = { region: sig.region, service: sig.service };
    const route = req.method === 'POST' ? ROUTE.exec(new URL(req.url ?? '/', 'http://aws.local').pathname) : null;
    if (!route) return this.sendError(res, { status: 404, headers: { 'x-amzn-errortype': 'UnknownOperationException' }, body: { message: 'Unknown operation' } });
    const modelId = decodeURIComponent(route[1] ?? '');
    if (fault?.type === 'unauthorized') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
    if (route[2] === 'invoke') {
      if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, { promptTokens: 0 }));
      const { inputText } = body as { inputText: string };
      return this.sendJson(res, { embedding: wireVector(inputText), embeddingsByType: { float: wireVector(inputText) }, inputTextTokenCount: countWireTokens(inputText) });
    }
    return this.converse(res, modelId, body as ConverseBody, fault, route[2] === 'converse-stream');
  }

  private converse(res: ServerResponse, modelId: string, body: ConverseBody, fault: WireFault | undefined, stream: boolean): void {
    const { messages, json } = neutral(body);
    const reply = wireReply(modelId, messages, (body.toolConfig?.tools ?? []).map((t) => t.toolSpec), json);
    if (fault?.type === 'context-overflow' || reply.promptTokens + (body.inferenceConfig?.maxTokens ?? 0) > this.contextWindow) return this.sendError(res, this.errorFor({ type: 'context-overflow' }, reply));
    if (fault && fault.type !== 'mid-stream-error') return this.sendError(res, this.errorFor(fault, reply));
    const usage = { inputTokens: reply.promptTokens, outputTokens: reply.completionTokens, totalTokens: reply.promptTokens + reply.completionTokens };
    const call = reply.toolCall;
    const toolUse = call ? { toolUseId: `tooluse_${call.id.slice(5)}`, name: call.name, input: JSON.parse(call.arguments) as unknown } : undefined;
    const stopReason = call ? 'tool_use' : 'end_turn';
    if (!stream) {
      return this.sendJson(res, { output: { message: { role: 'assistant', content: toolUse ? [{ toolUse }] : [{ text: reply.text }] } }, stopReason, usage, metrics: { latencyMs: 12 } });
    }
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'wire-request' });
    res.write(streamEvent('messageStart', { role: 'assistant', p: 'abcd' }));
    if (toolUse && call) {
      res.write(streamEvent('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } }));
      for (const f of fragments(call.arguments)) res.write(streamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: f } } }));
    } else {
      for (const [i, p] of pieces(reply.text).entries()) {
        res.write(streamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: p } }));
        if (fault?.type === 'mid-stream-error' && i === 1) {
          res.write(streamException('modelStreamErrorException', 'The model stream encountered an error.'));
          return void res.end();
        }
      }
    }
    res.write(streamEvent('contentBlockStop', { contentBlockIndex: 0 }));
    res.write(streamEvent('messageStop', { stopReason }));
    res.write(streamEvent('metadata', { usage, metrics: { latencyMs: 12 } }));
    res.end();
  }
}
