import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { withTenant } from '@weaver/persistence';
import { Agent, agent, Workflow, type LlmRequest, type LlmResponse } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { UnavailableError } from '@weaver/errors';
import { McpToolkit, parseMcpServers, ToolCallStore } from '@weaver/toolkit';
import { FILESYSTEM_SERVER } from '@weaver/testing';
import { RuntimeFixture } from './runtime-fixture';

const reply = (text: string, toolCalls: LlmResponse['toolCalls'] = []): LlmResponse => ({ text, toolCalls, model: 'scripted', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false });

/**
 * A scripted model for the tool loop: asked "read <path>", it proposes fs read_text_file on
 * that path; once the tool's answer is in the conversation, it answers with it.
 */
const scriptedLlm = llmClientFrom({
  generate: async (req: LlmRequest) => {
    const toolAnswer = req.messages?.find((m) => m.role === 'tool');
    if (toolAnswer) return reply(`the file says: ${toolAnswer.content}`);
    const path = /read (\S+)/.exec(req.messages?.[0]?.content ?? '')?.[1] ?? '';
    return reply('', [{ id: 'call-1', name: 'fs__read_text_file', arguments: JSON.stringify({ path }) }]);
  },
});

@agent({ name: 'tool-reader', requires: ['tooldocs.requested'], publishes: ['tooldocs.read'], tools: ['fs/read_text_file'] })
class Reader extends Agent<{ path: string }> {
  async process({ path }: { path: string }) {
    const loop = await this.tools.run({ prompt: `read ${path}`, maxRounds: 3 });
    return { answer: loop.text, rounds: loop.rounds, granted: await this.tools.list() };
  }
}

let writerAttempts = 0;
/** Writes a file through the tool, then fails its first attempt after tampering with the file: the retry must not write again. */
@agent({ name: 'tool-writer', requires: ['toolwrite.requested'], publishes: ['toolwrite.done'], tools: ['fs/write_file'] })
class Writer extends Agent<{ path: string }> {
  async process({ path }: { path: string }) {
    await this.tools.call('fs/write_file', { path, content: 'written once' });
    writerAttempts += 1;
    if (writerAttempts === 1) {
      await writeFile(path, 'changed after the call');
      throw new UnavailableError('simulated crash after the tool call, before the step committed');
    }
    return { attempts: writerAttempts };
  }
}

describe('agents calling MCP tools on the real broker and database (server-filesystem over stdio)', () => {
  const fx = new RuntimeFixture();
  let producer: EventProducer;
  let toolkit: McpToolkit;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weaver-runtime-tools-'));
    await fx.open();
    toolkit = await McpToolkit.start({ servers: parseMcpServers({ mcpServers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, dir] } } }, 'test'), calls: new ToolCallStore(fx.ds), rediscoverEveryMs: 0 });
    await fx.host([new Workflow('tool-read').addAgents(Reader), new Workflow('tool-write').addAgents(Writer)], { llm: () => scriptedLlm, tools: toolkit.tools });
    producer = new EventProducer(fx.kafka);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.close();
    await toolkit?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (tenant: string, workflow: string, input: unknown): Promise<string> => {
    const runId = randomUUID();
    await producer.send([envelopeRecord(newEnvelope({ tenantId: tenant, runId, workflow, type: 'run.requested', producer: 'test', payload: { input } }), fx.names.triggers)]);
    return runId;
  };
  const callsOf = (tenant: string, runId: string) =>
    withTenant(fx.ds, tenant, (em) => em.query(`SELECT step, seq, tool, outcome FROM tools.tool_calls WHERE run_id = $1 ORDER BY seq`, [runId])) as Promise<Array<{ step: string; seq: number; tool: string; outcome: string }>>;

  it('a step runs the tool-use loop: the model proposes read_text_file, the granted tool runs, the model answers', async () => {
    const tenant = randomUUID();
    await writeFile(join(dir, 'brief.txt'), 'MCP tools are granted per agent');
    const runId = await start(tenant, 'tool-read', { path: join(dir, 'brief.txt') });
    await fx.until('the reader run to complete', () => fx.count(runId, 'run.completed') === 1);
    const run = await fx.store.getRun(tenant, runId);
    expect(run?.result).toEqual({ answer: 'the file says: MCP tools are granted per agent', rounds: 2, granted: ['fs/read_text_file'] });
    expect(await callsOf(tenant, runId)).toEqual([{ step: 'tool-reader', seq: 1, tool: 'fs/read_text_file', outcome: 'ok' }]);
  });

  it('a retried step gets its recorded tool answer: the side effect happened once', async () => {
    const tenant = randomUUID();
    const path = join(dir, 'once.txt');
    const runId = await start(tenant, 'tool-write', { path });
    await fx.until('the writer run to complete', () => fx.count(runId, 'run.completed') === 1);
    expect(writerAttempts).toBe(2);
    expect(await readFile(path, 'utf8')).toBe('changed after the call'); // the retry did not write again
    expect(await callsOf(tenant, runId)).toEqual([{ step: 'tool-writer', seq: 1, tool: 'fs/write_file', outcome: 'ok' }]);
  });
});
