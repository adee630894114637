import { FailedPreconditionError } from '@weaver/errors';
import { PiiRefusedError } from './pii.errors';
import type { PiiPolicy } from './pii-policy';
import type { PiiScanner } from './pii-scanner';
import { PII_TYPES, type PiiSpan, type PiiType } from './pii-span';
import { tokenOf } from './pii-token';
import type { TokenKeySource } from './token-keys';

export interface PiiFinding {
  readonly type: PiiType;
  readonly count: number;
}

export interface MaskedText {
  readonly text: string;
  /** Counts per type found (allowed ones included): for metrics and audit, never the values. */
  readonly findings: PiiFinding[];
}

export interface PiiContext {
  readonly tenantId: string;
  /** Needed only when the policy tokenises a type. */
  readonly keys?: TokenKeySource;
}

/** "[EMAIL]", "[CREDIT_CARD]": what a masked value becomes. */
export const maskOf = (type: PiiType): string => `[${type.toUpperCase()}]`;

export function countByType(spans: readonly PiiSpan[]): PiiFinding[] {
  const counts = new Map<PiiType, number>();
  for (const s of spans) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
  return PII_TYPES.filter((t) => counts.has(t)).map((t) => ({ type: t, count: counts.get(t) ?? 0 }));
}

/** Rewrites the spans (sorted, non-overlapping, as `scan` returns them) with a replacement each. */
export function rewrite(text: string, spans: readonly PiiSpan[], replace: (s: PiiSpan) => string | undefined): string {
  let out = '';
  let last = 0;
  for (const s of spans) {
    const r = replace(s);
    if (r === undefined) continue;
    out += text.slice(last, s.start) + r;
    last = s.end;
  }
  return out + text.slice(last);
}

/**
 * Scans `text` and applies the tenant's policy: refuse first (nothing is rewritten when any
 * refused type is present), then mask and tokenise. The tenant's key is read only when a
 * tokenised type was actually found, so clean text costs the scan alone.
 */
export async function applyPolicy(scanner: PiiScanner, text: string, policy: PiiPolicy, ctx: PiiContext): Promise<MaskedText> {
  const spans = scanner.scan(text);
  if (spans.length === 0) return { text, findings: [] };
  const findings = countByType(spans);
  const refused = findings.filter((f) => policy[f.type] === 'refuse');
  if (refused.length) throw new PiiRefusedError(refused);
  const tokenising = spans.some((s) => policy[s.type] === 'tokenise');
  if (tokenising && !ctx.keys) throw new FailedPreconditionError('the PII policy tokenises but no TokenKeySource was given (a wiring error)', { reason: 'PII_NO_TOKEN_KEYS' });
  const key = tokenising && ctx.keys ? await ctx.keys.current(ctx.tenantId) : undefined;
  const masked = rewrite(text, spans, (s) => {
    const action = policy[s.type];
    if (action === 'mask') return maskOf(s.type);
    if (action === 'tokenise' && key) return tokenOf(s.text, s.type, ctx.tenantId, key);
    return undefined;
  });
  return { text: masked, findings };
}
