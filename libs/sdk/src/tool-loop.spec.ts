import type { AgentTools, ToolResult } from './agent';
import type { LlmRequest, LlmResponse } from './llm';
import { llmClientFrom } from './llm-defaults';
import { ToolDeniedError, ToolFailedError, ToolLoopBoundError } from './tool-errors';
import { runToolLoop } from './tool-loop';
import { toolGrantProblems, isGranted } from './tool-grants';

const answer = (text: string, toolCalls: LlmResponse['toolCalls'] = []): LlmResponse => ({ text, toolCalls, model: 'scripted', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false });

/** A model that answers from a script, one entry per turn, and keeps what it was asked. */
function scripted(turns: Array<(req: LlmRequest) => LlmResponse>) {
  const requests: LlmRequest[] = [];
  return {
    requests,
    llm: llmClientFrom({
      generate: async (req) => {
        requests.push(structuredClone(req));
        const turn = turns[requests.length - 1];
        if (!turn) throw new Error(`script has no turn ${requests.length}`);
        return turn(req);
      },
    }),
  };
}

function tools(impl: (name: string, args: Record<string, unknown>) => ToolResult): Pick<AgentTools, 'describe' | 'call'> & { called: string[] } {
  const called: string[] = [];
  return {
    called,
    describe: async () => [
      { name: 'fs/read_text_file', description: 'read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
      { name: 'calc/get.sum', description: 'add', inputSchema: { type: 'object' } },
    ],
    call: async (name, args) => {
      called.push(`${name} ${JSON.stringify(args)}`);
      return impl(name, args);
    },
  };
}

describe('runToolLoop', () => {
  it('model proposes a call → the tool runs → its result goes back as a tool message → answer', async () => {
    const model = scripted([
      () => answer('', [{ id: 'c1', name: 'fs__read_text_file', arguments: '{"path":"/a.txt"}' }]),
      (req) => answer(`the file says: ${req.messages!.at(-1)!.content}`),
    ]);
    const t = tools(() => ({ content: [{ type: 'text', text: 'hello' }] }));
    const result = await runToolLoop(model.llm, t, { prompt: 'what is in /a.txt?', system: 'be brief' });
    expect(result).toEqual({ text: 'the file says: hello', rounds: 2, calls: [{ name: 'fs/read_text_file', arguments: { path: '/a.txt' }, isError: false }] });
    expect(t.called).toEqual(['fs/read_text_file {"path":"/a.txt"}']);
    // The model saw the tools under provider-safe names and, on turn 2, its own call and the result.
    expect(model.requests[0]!.tools!.map((s) => s.name)).toEqual(['fs__read_text_file', 'calc__get_sum']);
    expect(model.requests[1]!.messages).toEqual([
      { role: 'user', content: 'what is in /a.txt?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'fs__read_text_file', arguments: '{"path":"/a.txt"}' }] },
      { role: 'tool', toolCallId: 'c1', content: 'hello' },
    ]);
  });

  it("a tool's own failure, a denied tool and bad JSON go back to the model as the tool's answer", async () => {
    const model = scripted([
      () =>
        answer('', [
          { id: 'a', name: 'fs__read_text_file', arguments: '{"path":"/nope"}' },
          { id: 'b', name: 'calc__get_sum', arguments: '{}' },
          { id: 'c', name: 'fs__read_text_file', arguments: 'not json' },
        ]),
      () => answer('gave up'),
    ]);
    const t = tools((name) => {
      if (name === 'calc/get.sum') throw new ToolDeniedError(name, 'writer');
      throw new ToolFailedError(name, 'writer', 'ENOENT: /nope');
    });
    const result = await runToolLoop(model.llm, t, { prompt: 'p' });
    expect(result.calls.map((c) => c.isError)).toEqual([true, true, true]);
    expect(model.requests[1]!.messages!.slice(2).map((m) => m.content)).toEqual([
      'error: ENOENT: /nope',
      'error: tool "calc/get.sum" is not granted to agent "writer": grant it in @agent({ tools: [...] }) or with the admin tool-grants API',
      'error: the arguments of fs/read_text_file must be a JSON object, got not json',
    ]);
  });

  it('fails naming the bound when the model still asks for tools after maxRounds turns', async () => {
    const loop = () => answer('', [{ id: 'x', name: 'fs__read_text_file', arguments: '{}' }]);
    const model = scripted([loop, loop, loop]);
    const t = tools(() => ({ content: [{ type: 'text', text: 'again' }] }));
    await expect(runToolLoop(model.llm, t, { prompt: 'p', maxRounds: 3 })).rejects.toThrow(new ToolLoopBoundError(3));
    expect(t.called).toHaveLength(2); // the last turn's proposals are not run
  });

  it('infrastructure errors (timeouts, open breakers) fail the loop so the step retries', async () => {
    const model = scripted([() => answer('', [{ id: 'x', name: 'fs__read_text_file', arguments: '{}' }])]);
    const boom = Object.assign(new Error('tool "fs/read_text_file" did not answer within its timeout of 300 ms'), { retriable: true });
    await expect(runToolLoop(model.llm, tools(() => { throw boom; }), { prompt: 'p' })).rejects.toBe(boom);
  });

  it('offers only the requested subset of the granted tools', async () => {
    const model = scripted([() => answer('done')]);
    await runToolLoop(model.llm, tools(() => ({ content: [] })), { prompt: 'p', tools: ['calc/*'] });
    expect(model.requests[0]!.tools!.map((s) => s.name)).toEqual(['calc__get_sum']);
  });
});

describe('tool grants', () => {
  it('matches one tool or a whole server, never across servers', () => {
    expect(isGranted(['fs/*'], 'fs/read_file')).toBe(true);
    expect(isGranted(['fs/read_file'], 'fs/write_file')).toBe(false);
    expect(isGranted(['fs/*'], 'fsx/read_file')).toBe(false);
  });

  it('names the field and rule of a bad grant', () => {
    expect(toolGrantProblems(['fs/read', '*', 'a/b c', 'fs/read'], 'tools')).toEqual([
      { field: 'tools[1]', rule: 'must be "<server>/<tool>" or "<server>/*" (server [A-Za-z0-9_-], tool [A-Za-z0-9_.-]), got "*"' },
      { field: 'tools[2]', rule: expect.stringContaining('got "a/b c"') },
      { field: 'tools', rule: 'lists a grant twice' },
    ]);
  });
});
