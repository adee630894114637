import type { AgentTools, ToolResult } from './agent';
import type { LlmClient } from './llm';
import type { AgentMemory, Episode, KeyValueMemory } from './memory-types';
import { ToolDeniedError, ToolFailedError } from './tool-errors';
import { isGranted } from './tool-grants';
import { runToolLoop } from './tool-loop';

/** A tool as `testAgent` fakes it: its answer to the arguments (an MCP `CallToolResult`). */
export type FakeTool = (args: Record<string, unknown>) => ToolResult | Promise<ToolResult>;

/** Key-value memory in a Map (a test's short- and long-term memory). */
function mapMemory(): KeyValueMemory {
  const items = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => items.get(key) as T | undefined,
    set: async (key, value) => void items.set(key, value),
    delete: async (key) => void items.delete(key),
    keys: async () => [...items.keys()].reverse(),
  };
}

const needsEmbeddings = (what: string) => async (): Promise<never> => {
  throw new Error(`testAgent: ${what} needs embeddings; pass a memory to testAgent(..., { memory })`);
};

/**
 * The memory a test gets when it passes none: key-value and episodic recall in process,
 * similarity search refused (it needs an embedding model).
 */
export function inProcessMemory(at: () => Date = () => new Date()): AgentMemory {
  const shortTerm = mapMemory();
  const episodes: Episode[] = [];
  return {
    get: shortTerm.get,
    set: shortTerm.set,
    shortTerm,
    longTerm: mapMemory(),
    episodic: {
      record: async (text, data) => void episodes.unshift({ id: `episode-${episodes.length + 1}`, text, data, at: at() }),
      recall: async (opts = {}) => episodes.filter((e) => (!opts.since || e.at >= opts.since) && (!opts.until || e.at <= opts.until)).slice(0, opts.limit ?? episodes.length),
      similar: needsEmbeddings('episodic.similar'),
    },
    semantic: { remember: needsEmbeddings('semantic.remember'), search: needsEmbeddings('semantic.search') },
  };
}

/**
 * `this.tools` over fake tools, with the runtime's rules: only tools granted to the agent
 * (its `tools` option) are listed or callable (ToolDeniedError otherwise), an `isError` answer
 * fails with ToolFailedError, and `run` is the SDK's tool-use loop over the step's model.
 */
export function fakeTools(agent: string, grants: readonly string[], tools: Record<string, FakeTool>, llm: LlmClient): AgentTools {
  const granted = Object.keys(tools).filter((name) => isGranted(grants, name));
  const self: AgentTools = {
    list: async () => [...granted],
    describe: async () => granted.map((name) => ({ name, description: name, inputSchema: { type: 'object' } })),
    call: async (name, args) => {
      const tool = tools[name];
      if (!tool || !isGranted(grants, name)) throw new ToolDeniedError(name, agent);
      const result = await tool(args);
      if (result.isError) throw new ToolFailedError(name, agent, result.content.map((c) => (typeof c['text'] === 'string' ? c['text'] : '')).join('\n'));
      return result;
    },
    run: (request) => runToolLoop(llm, self, request),
  };
  return self;
}
