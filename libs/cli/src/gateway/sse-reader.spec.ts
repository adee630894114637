import { readSse, type SseMessage } from './sse-reader';

async function parse(chunks: string[]): Promise<SseMessage[]> {
  async function* body() {
    for (const c of chunks) yield new TextEncoder().encode(c);
  }
  const out: SseMessage[] = [];
  for await (const m of readSse(body())) out.push(m);
  return out;
}

describe('readSse', () => {
  it('parses events split anywhere across chunks', async () => {
    const stream = 'event: snapshot\ndata: {"a":1}\n\nevent: step.completed\ndata: {"b":2}\n\n';
    const whole = await parse([stream]);
    expect(whole).toEqual([
      { event: 'snapshot', data: '{"a":1}', id: undefined },
      { event: 'step.completed', data: '{"b":2}', id: undefined },
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(await parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
  });

  it('handles CRLF (also split between chunks), multi-line data, ids, comments and the default event name', async () => {
    expect(await parse([': keep-alive\r\n\r\nid: 7\r\ndata: line one\r', '\ndata: line two\r\n\r\n'])).toEqual([{ event: 'message', data: 'line one\nline two', id: '7' }]);
  });

  it('drops a final message that was never terminated by a blank line', async () => {
    expect(await parse(['event: a\ndata: 1\n\nevent: b\ndata: 2\n'])).toEqual([{ event: 'a', data: '1', id: undefined }]);
  });

  it('reads multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: ✓ done\n\n');
    async function* body() {
      yield bytes.slice(0, 7);
      yield bytes.slice(7);
    }
    const out: SseMessage[] = [];
    for await (const m of readSse(body())) out.push(m);
    expect(out).toEqual([{ event: 'message', data: '✓ done', id: undefined }]);
  });
});
