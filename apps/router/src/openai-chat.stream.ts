import { randomUUID } from 'node:crypto';
import type { ChatCompletionRequest } from '@weaver/api-schema';
import { ChatChunks, openAiErrorOf, type RouterChunk } from '@weaver/model-router';
import type { Logger } from '@weaver/observability';
import type { FastifyReply } from 'fastify';

const frame = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

/**
 * A streamed chat completion as OpenAI's server-sent events. The first router chunk is awaited
 * before anything is written, so a refusal (bad key, budget, breaker, policy) is still an HTTP
 * error with its status; a failure after that (the provider broke off mid-answer) is an
 * `error` event, which OpenAI's clients raise, and the stream ends without `[DONE]`.
 */
export class OpenAiChatStream {
  private readonly chunks: ChatChunks;

  constructor(id: string, created: number, request: ChatCompletionRequest, private readonly log: Logger) {
    this.chunks = new ChatChunks(id, created, request.model, request.stream_options?.include_usage === true);
  }

  async send(stream: AsyncIterable<RouterChunk>, reply: FastifyReply): Promise<void> {
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // A client that went away stops the writing, not the call: the router still bills and records it.
    const write = (text: string): void => void (out.destroyed || out.write(text));
    write(frame(this.chunks.first()));
    try {
      for (let r = first; !r.done; r = await it.next()) for (const c of this.chunks.of(r.value)) write(frame(c));
      write('data: [DONE]\n\n');
    } catch (err) {
      const correlationId = randomUUID();
      const reply = openAiErrorOf(err, correlationId);
      if (reply.internal || reply.status >= 500) this.log.warn({ err, correlationId }, 'OpenAI-compatible stream failed after its first chunk');
      write(frame(reply.body));
    } finally {
      out.end();
    }
  }
}
