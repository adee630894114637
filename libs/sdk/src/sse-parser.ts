/** One Server-Sent Event: its `event:` name (default "message"), joined `data:` lines, `id:`. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

const LINE_END = /\r\n|\n|\r/;

/**
 * Decodes a `text/event-stream` as the WHATWG HTML spec defines it ("Interpreting an event
 * stream"): lines end with CRLF, LF or CR (also when split across chunks), `:` starts a comment,
 * one space after the colon is dropped, several `data:` lines join with "\n", a blank line
 * dispatches, an event without data is not dispatched, and an unterminated last event is
 * discarded at the end of the stream.
 */
export class SseDecoder {
  private buffer = '';
  private started = false;
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  private retry: number | undefined;

  push(text: string): SseMessage[] {
    this.buffer += text;
    if (!this.started && this.buffer.length) {
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
      this.started = true;
    }
    return this.drain(false);
  }

  /** The stream ended: a trailing CR still ends its line; a half-received event is dropped. */
  end(): SseMessage[] {
    return this.drain(true);
  }

  private drain(final: boolean): SseMessage[] {
    const out: SseMessage[] = [];
    for (;;) {
      const match = LINE_END.exec(this.buffer);
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (!match || (!final && match[0] === '\r' && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      const message = this.data.length
        ? { event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}), ...(this.retry !== undefined ? { retry: this.retry } : {}) }
        : undefined;
      this.event = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    return undefined;
  }
}

/** The events of a streamed body (e.g. a fetch Response's `body`). */
export async function* parseSse(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder('utf-8');
  const sse = new SseDecoder();
  for await (const chunk of chunks) {
    yield* sse.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  yield* sse.push(decoder.decode());
  yield* sse.end();
}
