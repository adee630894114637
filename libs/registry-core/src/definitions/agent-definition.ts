import { z } from 'zod';
import { ValidationError } from '@weaver/errors';
import { violationsOf } from '@weaver/config';
import { eventPatternProblems, isEventPattern } from '@weaver/sdk/internal';
import type { JsonSchema } from '../schema-compat/json-schema';
import { jsonSchemaViolations } from '../schema-compat/json-schema-shape';
import { parseSemVer, SEMVER_RULE } from './semver';

/** What an agent is: identity, what it can do, what it reads and writes, and the shapes of both. */
export interface AgentDefinitionSpec {
  /** null = a platform-wide definition, visible to every tenant. */
  readonly tenantId: string | null;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly capabilities: readonly string[];
  /** Event types the agent consumes: exact types, or patterns (`content.*`, `*.completed`; libs/sdk event-pattern.ts). */
  readonly requires: readonly string[];
  /** Event types the agent may publish. */
  readonly publishes: readonly string[];
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  /** 0 = the runner's default. */
  readonly maxConcurrency: number;
  /** 0 = the runner's default. */
  readonly timeoutMs: number;
}

export interface AgentDefinition extends AgentDefinitionSpec {
  readonly id: string;
  readonly createdAt: Date;
}

export const AGENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const AGENT_NAME_RULE = 'must be 1-63 lower-case letters, digits or "-", starting with a letter';
// Event types become topic names (`weaver.evt.<type>.v1`), so they use the topic-safe alphabet.
export const EVENT_TYPE = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
const EVENT_TYPE_RULE = 'must be lower-case words of letters and digits joined by ".", "_" or "-", at most 200 characters';
const CAPABILITY = /^[a-z][a-z0-9._:-]{0,127}$/;
const CAPABILITY_RULE = 'must be 1-128 characters of lower-case letters, digits, ".", "_", ":" or "-", starting with a letter';

const words = (pattern: RegExp, rule: string, max: number) =>
  z
    .array(z.string().max(200, rule).regex(pattern, rule), { error: 'must be an array of strings' })
    .max(max, `must have at most ${max} entries`)
    .default([])
    .transform((list) => [...new Set(list)].sort());

/** What an agent requires: an exact event type, or a pattern, each refused with its own rule. */
const requirements = z
  .array(
    z.string().max(200, EVENT_TYPE_RULE).superRefine((r, ctx) => {
      if (!isEventPattern(r)) {
        if (!EVENT_TYPE.test(r)) ctx.addIssue({ code: 'custom', message: `${EVENT_TYPE_RULE}, or a pattern such as "content.*"` });
        return;
      }
      for (const v of eventPatternProblems(r, '')) ctx.addIssue({ code: 'custom', message: v.rule });
    }),
    { error: 'must be an array of strings' },
  )
  .max(64, 'must have at most 64 entries')
  .default([])
  .transform((list) => [...new Set(list)].sort());

const jsonSchema = z.custom<JsonSchema>(() => true);

const specSchema = z.object({
  tenantId: z.uuid('must be a UUID').nullable().default(null),
  name: z.string({ error: 'is required' }).regex(AGENT_NAME, AGENT_NAME_RULE),
  version: z.string({ error: 'is required' }).refine((v) => parseSemVer(v) !== undefined, SEMVER_RULE),
  description: z.string().max(2000, 'must be at most 2000 characters').default(''),
  capabilities: words(CAPABILITY, CAPABILITY_RULE, 64),
  requires: requirements,
  publishes: words(EVENT_TYPE, EVENT_TYPE_RULE, 64),
  inputSchema: jsonSchema,
  outputSchema: jsonSchema,
  maxConcurrency: z.number().int('must be an integer').min(0, 'must be >= 0').max(10_000, 'must be <= 10000').default(0),
  timeoutMs: z.number().int('must be an integer').min(0, 'must be >= 0').max(86_400_000, 'must be at most one day (86400000)').default(0),
});

export type AgentDefinitionInput = z.input<typeof specSchema>;

/**
 * Validates a definition as a client sent it, reporting every bad field at once
 * (`definition.inputSchema.properties.email.type: must be one of ...`). Lists are de-duplicated
 * and sorted, so the same definition always compares equal however it was written.
 */
export function parseAgentDefinition(raw: unknown, prefix = 'definition'): AgentDefinitionSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError([{ field: prefix, rule: 'must be an object' }], prefix);
  const parsed = specSchema.safeParse(raw);
  const violations = parsed.success ? [] : violationsOf(parsed.error, `${prefix}.`);
  const r = raw as Record<string, unknown>;
  for (const key of ['inputSchema', 'outputSchema'] as const) {
    if (r[key] === undefined) violations.push({ field: `${prefix}.${key}`, rule: 'is required (use {} or true to accept any value)' });
    else violations.push(...jsonSchemaViolations(r[key], `${prefix}.${key}`));
  }
  if (!parsed.success || violations.length > 0) throw new ValidationError(violations, prefix);
  return parsed.data;
}
