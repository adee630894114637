import { ValidationError, type FieldViolation } from '@weaver/errors';
import { cedar, type DetailedError } from './cedar';
import { positionAt } from './source-position';
import { weaverSchema } from './weaver-schema';

/** A tenant's policy as stored: an id of its choosing and Cedar text (one or more statements). */
export interface TenantPolicy {
  id: string;
  text: string;
}

/** One problem in policy text, where it is (1-based line:column) and Cedar's words for it. */
export interface PolicyViolation {
  line: number;
  column: number;
  message: string;
  help?: string;
}

const POLICY_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const RESERVED_PREFIX = 'weaver.';
const SCHEMA = weaverSchema();

/**
 * Cedar's errors as violations: its internal statement ids ("for policy `policy0`, ") dropped,
 * and one violation per place — strict validation reports a bad attribute once per entity type
 * the statement could apply to, which says the same thing eleven times.
 */
function violationsOf(text: string, errors: readonly DetailedError[]): PolicyViolation[] {
  const byPlace = new Map<string, { violation: PolicyViolation; more: number }>();
  for (const e of errors) {
    const at = e.sourceLocations?.[0];
    const pos = at ? positionAt(text, at.start) : { line: 1, column: 1 };
    const label = at?.label ? ` (${at.label})` : '';
    const message = `${e.message.replace(/^for policy `[^`]*`, /, '')}${label}`;
    const key = `${pos.line}:${pos.column}`;
    const seen = byPlace.get(key);
    if (seen) seen.more += 1;
    else byPlace.set(key, { violation: { ...pos, message, ...(e.help ? { help: e.help } : {}) }, more: 0 });
  }
  return [...byPlace.values()].map(({ violation, more }) => (more ? { ...violation, message: `${violation.message} (and for ${more} more entity types)` } : violation));
}

/**
 * Everything wrong with a policy text: syntax first (Cedar's parser), then meaning against
 * Weaver's schema in strict mode (unknown attributes, actions, entity types, type errors).
 * Empty when the text may be stored.
 */
export function policyViolations(text: string): PolicyViolation[] {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') return violationsOf(text, parts.errors);
  if (parts.policy_templates.length) return [{ line: 1, column: 1, message: 'templates (?principal, ?resource slots) are not supported; write static policies' }];
  if (!parts.policies.length) return [{ line: 1, column: 1, message: 'no policy: the text must hold at least one permit or forbid statement' }];
  const answer = cedar.validate({ schema: SCHEMA, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
  if (answer.type === 'failure') return violationsOf(text, answer.errors);
  return violationsOf(text, answer.validationErrors.map((v) => v.error));
}

/** Field violations (`text:3:14`) for a ValidationError: where, and Cedar's message. */
export function fieldViolationsOf(violations: readonly PolicyViolation[]): FieldViolation[] {
  return violations.map((v) => ({ field: `text:${v.line}:${v.column}`, rule: v.help ? `${v.message}; ${v.help}` : v.message }));
}

/** Throws the ValidationError a bad policy answers (400 over REST, INVALID_ARGUMENT over gRPC). */
export function assertValidPolicy(policy: TenantPolicy): void {
  const idProblem = !POLICY_ID.test(policy.id)
    ? 'must be 1-64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit'
    : policy.id.startsWith(RESERVED_PREFIX)
      ? `"${RESERVED_PREFIX}*" ids are Weaver's baseline policies`
      : undefined;
  if (idProblem) throw new ValidationError([{ field: 'id', rule: idProblem }], 'policy');
  const violations = policyViolations(policy.text);
  if (violations.length) throw new ValidationError(fieldViolationsOf(violations), `policy "${policy.id}"`, { details: { policyViolations: violations } });
}

/**
 * The Cedar policy ids of a stored policy's statements: the policy's id for a one-statement
 * policy, `<id>#1`, `<id>#2` … otherwise. Explanations and audit reasons name these.
 */
export function statementsOf(policy: TenantPolicy): Record<string, string> {
  const parts = cedar.policySetTextToParts(policy.text);
  if (parts.type === 'failure') throw new ValidationError(fieldViolationsOf(violationsOf(policy.text, parts.errors)), `policy "${policy.id}"`);
  if (parts.policies.length === 1) return { [policy.id]: parts.policies[0] ?? '' };
  return Object.fromEntries(parts.policies.map((p, i) => [`${policy.id}#${i + 1}`, p]));
}
