import { ConnectionPools, createAdapter, type AdapterSpec, type ModelAdapter, type ModelCapabilities, type StreamDelta, type ToolCall } from '../src';

export const caps: ModelCapabilities = {
  modalities: ['text'],
  toolCalling: true,
  jsonOutput: true,
  streaming: true,
  embeddings: true,
  contextWindow: 4096,
  maxOutputTokens: 256,
  inputCostPerToken: 0.000001,
  outputCostPerToken: 0.000002,
  selfHosted: false,
};

export function adapterFor(pools: ConnectionPools, provider: string, endpoint: string, over: Partial<AdapterSpec> = {}): ModelAdapter {
  const spec: AdapterSpec = { name: `${provider}-test`, provider, model: 'wire-model', endpoint, apiKey: 'sk-test', capabilities: caps, timeoutMs: 2000, options: {}, ...over };
  return createAdapter(spec, { fetch: pools.fetchFor(endpoint) });
}

/** Collect a stream into text, assembled tool calls and the finish delta. */
export async function collect(stream: AsyncIterable<StreamDelta>): Promise<{ text: string; toolCalls: ToolCall[]; finish?: Extract<StreamDelta, { type: 'finish' }> }> {
  let text = '';
  const calls: ToolCall[] = [];
  let finish: Extract<StreamDelta, { type: 'finish' }> | undefined;
  for await (const d of stream) {
    if (d.type === 'text') text += d.text;
    else if (d.type === 'tool-call') {
      const c = (calls[d.index] ??= { id: '', name: '', arguments: '' });
      if (d.id) c.id = d.id;
      if (d.name) c.name = d.name;
      c.arguments += d.argumentsDelta;
    } else finish = d;
  }
  return { text, toolCalls: calls, finish };
}

export const lookupTool = {
  name: 'lookup',
  description: 'Look something up',
  parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
};
