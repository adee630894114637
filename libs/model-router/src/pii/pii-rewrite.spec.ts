import type { ChatMessage } from '@weaver/models';
import { jsonStringBody, rewriteJsonStrings, rewriteMessages } from './pii-rewrite';

const upper = async (t: string): Promise<string> => t.replace(/secret/g, 'XXX');

describe('rewriteMessages', () => {
  it('rewrites the content of every role and the arguments of assistant tool calls, nothing else', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'the secret system' },
      { role: 'user', content: 'my secret' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'secret_tool', arguments: '{"q":"a secret","n":2,"list":["secret"]}' }] },
      { role: 'tool', content: 'tool saw secret', toolCallId: 'c1' },
      { role: 'user', content: 'nothing here' },
    ];
    const out = await rewriteMessages(messages, upper);
    expect(out).toEqual([
      { role: 'system', content: 'the XXX system' },
      { role: 'user', content: 'my XXX' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'secret_tool', arguments: '{"q":"a XXX","n":2,"list":["XXX"]}' }] },
      { role: 'tool', content: 'tool saw XXX', toolCallId: 'c1' },
      { role: 'user', content: 'nothing here' },
    ]);
    expect(out[4]).toBe(messages[4]); // unchanged messages are the same objects
    expect(messages[1]?.content).toBe('my secret'); // the caller's request is not modified
  });
});

describe('rewriteJsonStrings', () => {
  it('keeps JSON valid whatever a replacement holds, and the text byte for byte when nothing changes', async () => {
    const quoting = async (t: string) => t.replace('x', 'a "quoted" \\ value');
    const out = await rewriteJsonStrings('{"k":"x"}', quoting);
    expect(JSON.parse(out)).toEqual({ k: 'a "quoted" \\ value' });
    const spaced = '{ "k" : "y" }';
    expect(await rewriteJsonStrings(spaced, quoting)).toBe(spaced);
  });

  it('treats text that is not JSON as plain text', async () => {
    expect(await rewriteJsonStrings('{"k": "secret', upper)).toBe('{"k": "XXX');
  });

  it('escapes a value for the inside of a JSON string', () => {
    expect(jsonStringBody('say "hi"\n')).toBe('say \\"hi\\"\\n');
  });
});
