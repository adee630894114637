import { z, type ZodType } from 'zod';
import type { LlmClient, LlmRequest, LlmResponse, LlmStream } from './llm';

/**
 * A whole `LlmClient` from a `generate` (test doubles, local runners): `stream` yields the
 * answer as one chunk, `structured` asks for JSON and parses it against the schema, and
 * `embed` is refused unless given. The router-backed client implements all of them natively.
 */
export function llmClientFrom(parts: Pick<LlmClient, 'generate'> & Partial<LlmClient>): LlmClient {
  const generate = parts.generate;
  return {
    generate,
    stream: parts.stream ?? ((request) => oneChunkStream(generate(request))),
    embed: parts.embed ?? (async () => {
      throw new Error('this LLM client has no embedding model (embed was not provided)');
    }),
    structured: parts.structured ?? (<T>(schema: ZodType<T>, request: LlmRequest) => structuredVia(generate, schema, request)),
  };
}

function oneChunkStream(response: Promise<LlmResponse>): LlmStream {
  return {
    response,
    async *[Symbol.asyncIterator]() {
      yield { delta: (await response).text };
    },
  };
}

/** Asks for JSON described by the schema's JSON Schema and validates the answer against it. */
export async function structuredVia<T>(generate: LlmClient['generate'], schema: ZodType<T>, request: LlmRequest): Promise<{ value: T; response: LlmResponse }> {
  const shape = JSON.stringify(z.toJSONSchema(schema, { io: 'input' }));
  const response = await generate({ ...request, json: true, system: [request.system, `Answer with JSON only, matching this JSON Schema: ${shape}`].filter(Boolean).join('\n\n') });
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    throw new Error(`model ${response.model} did not answer with JSON: ${response.text.slice(0, 80)}`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`model ${response.model} answered JSON that does not match the schema: ${issues}`);
  }
  return { value: result.data, response };
}
