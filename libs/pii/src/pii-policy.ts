import { ValidationError, type FieldViolation } from '@weaver/errors';
import { PII_TYPES, type PiiType } from './pii-span';

/**
 * What happens to each entity type before text leaves for a model or a log: `allow` leaves it,
 * `mask` replaces it by its type (`[EMAIL]`), `tokenise` by a token only the tenant's key
 * reverses (pii-token.ts), `refuse` fails the call (PiiRefusedError).
 */
export const PII_ACTIONS = ['allow', 'mask', 'tokenise', 'refuse'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

/** A validated policy: an action for every type. */
export type PiiPolicy = Readonly<Record<PiiType, PiiAction>>;

/** What a tenant writes: `default` for the types it does not name (itself defaulting to `mask`). */
export type PiiPolicyInput = Partial<Record<PiiType | 'default', PiiAction>>;

const isAction = (v: unknown): v is PiiAction => typeof v === 'string' && (PII_ACTIONS as readonly string[]).includes(v);
const isType = (k: string): k is PiiType => (PII_TYPES as readonly string[]).includes(k);

/** Validates a policy from config, the admin API or a tenant record; errors name each bad field. */
export function parsePiiPolicy(input: unknown, field = 'piiPolicy'): PiiPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ field, rule: 'must be an object of entity type → action' }], 'PII policy');
  }
  const violations: FieldViolation[] = [];
  const record = input as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'default' && !isType(key)) violations.push({ field: `${field}.${key}`, rule: `unknown entity type; expected one of default, ${PII_TYPES.join(', ')}` });
    else if (!isAction(value)) violations.push({ field: `${field}.${key}`, rule: `must be one of ${PII_ACTIONS.join(', ')}` });
  }
  if (violations.length) throw new ValidationError(violations, 'PII policy');
  const fallback = (record['default'] as PiiAction | undefined) ?? 'mask';
  const policy = {} as Record<PiiType, PiiAction>;
  for (const t of PII_TYPES) policy[t] = (record[t] as PiiAction | undefined) ?? fallback;
  return policy;
}

/** Every type masked: what logs get (redact.ts). */
export const MASK_ALL: PiiPolicy = parsePiiPolicy({ default: 'mask' });
