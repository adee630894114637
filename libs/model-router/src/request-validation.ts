import { ValidationError, type FieldViolation } from '@weaver/errors';
import { isUuid } from '@weaver/persistence';
import { CAPABILITY_RULE, CAPABILITY_TAG } from './catalog/models-file.schema';
import type { CallerContext, EmbedCallRequest, ModelCallRequest } from './routing/route-request';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function callerViolations(c: CallerContext): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (!isUuid(c.tenantId)) v.push({ field: 'tenant_id', rule: 'must be a UUID' });
  if (!c.workflow) v.push({ field: 'workflow', rule: 'must be a non-empty string' });
  if (!c.agent) v.push({ field: 'agent', rule: 'must be a non-empty string' });
  if (c.idempotencyKey !== undefined && (c.idempotencyKey.length < 1 || c.idempotencyKey.length > 255)) {
    v.push({ field: 'idempotency_key', rule: 'must be 1 to 255 characters' });
  }
  return v;
}

/** Every problem in a generate request at once, each naming its field and rule. */
export function validateModelCall(req: ModelCallRequest): void {
  const v = callerViolations(req);
  if (!req.messages.length) v.push({ field: 'messages', rule: 'must contain at least one message' });
  req.messages.forEach((m, i) => {
    if (!ROLES.has(m.role)) v.push({ field: `messages[${i}].role`, rule: 'must be one of system, user, assistant, tool' });
    if (m.role === 'tool' && !m.toolCallId) v.push({ field: `messages[${i}].tool_call_id`, rule: 'is required on a tool message' });
    m.toolCalls?.forEach((c, j) => {
      if (!c.id || !c.name) v.push({ field: `messages[${i}].tool_calls[${j}]`, rule: 'must have an id and a name' });
    });
  });
  req.tools.forEach((t, i) => {
    if (!TOOL_NAME.test(t.name)) v.push({ field: `tools[${i}].name`, rule: 'must be 1-64 letters, digits, _ or -' });
    if (typeof t.parameters !== 'object' || t.parameters === null || Array.isArray(t.parameters)) {
      v.push({ field: `tools[${i}].json_schema`, rule: 'must be a JSON Schema object' });
    }
  });
  req.requiredCapabilities.forEach((c, i) => {
    if (!CAPABILITY_TAG.test(c)) v.push({ field: `required_capabilities[${i}]`, rule: CAPABILITY_RULE });
  });
  if (req.jsonSchema) {
    if (!TOOL_NAME.test(req.jsonSchema.name)) v.push({ field: 'json_schema_name', rule: 'must be 1-64 letters, digits, _ or -' });
    if (typeof req.jsonSchema.schema !== 'object' || req.jsonSchema.schema === null || Array.isArray(req.jsonSchema.schema)) v.push({ field: 'json_schema', rule: 'must be a JSON Schema object' });
  }
  if (req.maxTokens !== undefined && (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)) v.push({ field: 'max_tokens', rule: 'must be a positive integer' });
  if (req.temperature !== undefined && !(req.temperature >= 0 && req.temperature <= 2)) v.push({ field: 'temperature', rule: 'must be between 0 and 2' });
  if (v.length) throw new ValidationError(v, 'request');
}

export function validateEmbedCall(req: EmbedCallRequest): void {
  const v = callerViolations(req);
  if (!req.texts.length) v.push({ field: 'texts', rule: 'must contain at least one text' });
  req.texts.forEach((t, i) => {
    if (!t) v.push({ field: `texts[${i}]`, rule: 'must be a non-empty string' });
  });
  if (v.length) throw new ValidationError(v, 'request');
}
