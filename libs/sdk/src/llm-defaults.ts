import { ValidationError, type FieldViolation } from '@weaver/errors';
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

export interface StructuredOptions {
  /**
   * The client sends `jsonSchema` to a router that applies it (natively or as an instruction):
   * no instruction is added here. Test doubles (default false) get the schema in the system prompt.
   */
  native?: boolean;
  /** Answers that fail validation are sent back once with the violations (each attempt is a billed call); default 1. */
  repairs?: number;
}

/**
 * Asks for JSON described by the schema's JSON Schema (zod's `z.toJSONSchema`) and validates the
 * answer against it. A bad answer is sent back once with what was wrong (a second, separately
 * billed call on the step's next idempotency key); if that fails too, the error names each
 * field and rule.
 */
export async function structuredVia<T>(generate: LlmClient['generate'], schema: ZodType<T>, request: LlmRequest, opts: StructuredOptions = {}): Promise<{ value: T; response: LlmResponse }> {
  const shape = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  const asked: LlmRequest = opts.native
    ? { ...request, json: true, jsonSchema: { name: request.jsonSchema?.name ?? 'answer', schema: shape } }
    : { ...request, json: true, system: [request.system, `Answer with JSON only, matching this JSON Schema: ${JSON.stringify(shape)}`].filter(Boolean).join('\n\n') };
  let response = await generate(asked);
  for (let repairs = opts.repairs ?? 1; ; repairs--) {
    const checked = checkAnswer(schema, response);
    if (checked.ok) return { value: checked.value, response };
    if (repairs <= 0) throw new ValidationError(checked.violations, `structured answer of model ${response.model}`);
    const said = checked.violations.map((v) => `${v.field}: ${v.rule}`).join('; ');
    response = await generate({
      ...asked,
      prompt: undefined,
      messages: [
        ...(asked.messages ?? []),
        ...(asked.prompt !== undefined ? [{ role: 'user' as const, content: asked.prompt }] : []),
        { role: 'assistant' as const, content: response.text },
        { role: 'user' as const, content: `That answer does not match the JSON Schema (${said}). Answer again with JSON only.` },
      ],
    });
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; violations: FieldViolation[] };

function checkAnswer<T>(schema: ZodType<T>, response: LlmResponse): Checked<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    return { ok: false, violations: [{ field: '(answer)', rule: `must be JSON (got: ${JSON.stringify(response.text.slice(0, 80))})` }] };
  }
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, violations: result.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', rule: i.message })) };
}
