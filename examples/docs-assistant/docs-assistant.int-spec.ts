import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTenant } from '@weaver/persistence';
import type { LlmResponse } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/testing';
import { McpToolkit, parseMcpServers, ToolCallStore } from '@weaver/toolkit';
import { FILESYSTEM_SERVER } from '@weaver/testing';
import { ExampleStack } from '../test/example-stack';
import { docsAssistant } from './workflow';

const reply = (text: string, toolCalls: LlmResponse['toolCalls'] = []): LlmResponse => ({ text, toolCalls, model: 'scripted', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false });

/** A scripted model: asked about a file, it calls fs read_text_file on it, then answers with the tool's text. */
const toolUsingModel = llmClientFrom({
  generate: async (req) => {
    const toolAnswer = req.messages?.find((m) => m.role === 'tool');
    if (toolAnswer) return reply(`From the document: ${toolAnswer.content}`);
    const path = /the file (\S+)\.$/.exec(req.messages?.[0]?.content ?? '')?.[1] ?? '';
    return reply('', [{ id: 'call-1', name: 'fs__read_text_file', arguments: JSON.stringify({ path }) }]);
  },
});

describe('docs-assistant example (tool use through a real MCP server over stdio) on the real broker and database', () => {
  const stack = new ExampleStack();
  let toolkit: McpToolkit;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weaver-docs-assistant-'));
    await writeFile(join(dir, 'refunds.md'), 'Refunds are paid within 14 days.');
    // The toolkit records calls in the stack's database, so it starts once the stack is up (steps only run after a run is started).
    await stack.start([docsAssistant], {
      llm: toolUsingModel,
      tools: (scope) => toolkit.tools(scope),
    });
    toolkit = await McpToolkit.start({ servers: parseMcpServers({ mcpServers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, dir] } } }, 'example'), calls: new ToolCallStore(stack.ds), rediscoverEveryMs: 0 });
  });
  afterAll(async () => {
    await stack.stop();
    await toolkit?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the document through the MCP tool the model chose and answers from it', async () => {
    const result = await docsAssistant.run({ question: 'how fast are refunds paid?', file: join(dir, 'refunds.md') }, { runner: stack.runner });
    expect(result).toEqual({ answer: 'From the document: Refunds are paid within 14 days.', rounds: 2, toolsSeen: ['fs/list_directory', 'fs/read_text_file'] });
    // The call is recorded with its outcome (a redelivered step replays it instead of calling again).
    const calls = await withTenant(stack.ds, stack.tenantId, (em) => em.query(`SELECT tool, outcome FROM tools.tool_calls WHERE agent = 'docs-assistant'`));
    expect(calls).toEqual([{ tool: 'fs/read_text_file', outcome: 'ok' }]);
  });
});
