import type { ChatMessage, GenerateRequest } from './model-types';

/**
 * For providers with no native structured output (Anthropic, TGI, the local stand-in): the
 * schema goes in as a system instruction and the call uses the provider's JSON mode. The
 * caller validates the answer either way (the model may still ignore the instruction).
 */
export function withSchemaInstruction(req: GenerateRequest): GenerateRequest {
  if (!req.jsonSchema) return req;
  const instruction: ChatMessage = { role: 'system', content: `Answer with JSON only, matching this JSON Schema: ${JSON.stringify(req.jsonSchema.schema)}` };
  const firstNonSystem = req.messages.findIndex((m) => m.role !== 'system');
  const at = firstNonSystem < 0 ? req.messages.length : firstNonSystem;
  return { ...req, jsonMode: true, jsonSchema: undefined, messages: [...req.messages.slice(0, at), instruction, ...req.messages.slice(at)] };
}
