import type { FinishReason, GenerateResult, StreamDelta, ToolCall } from '@weaver/models';
import type { RoutedResult } from './routed-result';

export type RouterChunk = Exclude<StreamDelta, { type: 'finish' }> | { type: 'done'; result: RoutedResult };

/**
 * Bridges the router's billing flow (which runs to completion on its own) and the caller's
 * async iteration: provider deltas are queued as they arrive, then one `done` chunk carries the
 * billed result; an error ends the iteration with that error.
 */
export class StreamSession implements AsyncIterable<RouterChunk> {
  private readonly queue: RouterChunk[] = [];
  private ended = false;
  private error: unknown;
  private wake?: () => void;

  private push(c: RouterChunk): void {
    this.queue.push(c);
    this.wake?.();
  }

  /** Forward a provider stream (its first item already pulled) and assemble the full result. */
  async pump(it: AsyncIterator<StreamDelta>, first: IteratorResult<StreamDelta>, model: string): Promise<GenerateResult> {
    let content = '';
    const calls: ToolCall[] = [];
    let finishReason: FinishReason = 'stop';
    let usage = { inputTokens: 0, outputTokens: 0 };
    let providerModel = model;
    for (let r = first; !r.done; r = await it.next()) {
      const d = r.value;
      if (d.type === 'finish') {
        finishReason = d.finishReason;
        usage = d.usage;
        providerModel = d.model;
        continue;
      }
      if (d.type === 'text') content += d.text;
      else {
        const c = (calls[d.index] ??= { id: '', name: '', arguments: '' });
        if (d.id) c.id = d.id;
        if (d.name) c.name = d.name;
        c.arguments += d.argumentsDelta;
      }
      this.push(d);
    }
    return { content, toolCalls: calls.filter(Boolean), finishReason, usage, model: providerModel };
  }

  /** The billed result (also how replays and cache hits stream: the whole answer at once). */
  finish(result: RoutedResult): void {
    if (result.replayed || result.cached) {
      if (result.content) this.push({ type: 'text', text: result.content });
      result.toolCalls.forEach((c, index) => this.push({ type: 'tool-call', index, id: c.id, name: c.name, argumentsDelta: c.arguments }));
    }
    this.push({ type: 'done', result });
    this.ended = true;
    this.wake?.();
  }

  fail(err: unknown): void {
    this.error = err;
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RouterChunk> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
