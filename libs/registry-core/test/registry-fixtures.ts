import { z } from 'zod';
import type { AgentDefinitionInput } from '../src';

/** Definitions as the SDK would derive them: inputs with zod's `io: 'input'`, outputs with `io: 'output'`. */
export const inputOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;
export const outputOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output' }) as Record<string, unknown>;

export const article = z.object({ url: z.string(), text: z.string() });
export const summary = z.object({ url: z.string(), summary: z.string(), words: z.number().int() });

export function summarizer(version: string, input: z.ZodType = article, output: z.ZodType = summary): AgentDefinitionInput {
  return {
    name: 'summarizer',
    version,
    description: 'summarises articles',
    capabilities: ['summarise'],
    requires: ['article.fetched'],
    publishes: ['article.summarized'],
    inputSchema: inputOf(input),
    outputSchema: outputOf(output),
    maxConcurrency: 4,
    timeoutMs: 30_000,
  };
}

export const indexer: AgentDefinitionInput = {
  name: 'indexer',
  version: '1.0.0',
  capabilities: ['index'],
  requires: ['article.summarized'],
  publishes: [],
  inputSchema: inputOf(z.object({ url: z.string(), summary: z.string() })),
  outputSchema: true,
};
