/**
 * The value spellings `Memory(...)` accepts: sizes, durations and item counts. Each parser
 * returns the normalised number (bytes, milliseconds, items) or a rule naming what is allowed,
 * so the caller can report every bad field at once.
 */

/** Parse result: a value, or the rule the input broke. */
export type Parsed = { ok: true; value: number } | { ok: false; rule: string };

const MB = 1024 * 1024;

/**
 * Named sizes (`Memory({ semantic: 'large' })`). Binary units, as the plan counts them
 * (`max_long_term_mb: 10240` is "10GB").
 */
export const NAMED_SIZES: Readonly<Record<string, number>> = Object.freeze({
  small: 256 * MB,
  medium: 1024 * MB,
  large: 10 * 1024 * MB,
});

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: MB, mib: MB, gb: 1024 * MB, gib: 1024 * MB, tb: 1024 * 1024 * MB, tib: 1024 * 1024 * MB };
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const AMOUNT = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i;

const fail = (rule: string): Parsed => ({ ok: false, rule });
const shown = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

/** "10GB", "512MB", "1.5GB", "64KB", or a named size (small, medium, large). */
export function parseSize(value: unknown): Parsed {
  const rule = `must be a size like "512MB", "1.5GB", "10GB" (units B, KB, MB, GB, TB) or one of ${Object.keys(NAMED_SIZES).join(', ')}`;
  if (typeof value === 'number') return fail(`${rule}; a bare number has no unit, got ${value}`);
  if (typeof value !== 'string') return fail(`${rule}, got ${shown(value)}`);
  const named = NAMED_SIZES[value.trim().toLowerCase()];
  if (named !== undefined) return { ok: true, value: named };
  const m = AMOUNT.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return fail(`${rule}, got ${shown(value)}`);
  const bytes = Math.round(Number(m[1]) * unit);
  return bytes >= 1 ? { ok: true, value: bytes } : fail(`must be more than 0 bytes, got ${shown(value)}`);
}

/** "7d", "12h", "60m", "30s", "500ms", "2w". */
export function parseDuration(value: unknown): Parsed {
  const rule = 'must be a duration like "7d", "12h", "60m", "30s" (units ms, s, m, h, d, w)';
  if (typeof value === 'number') return fail(`${rule}; a bare number has no unit, got ${value}`);
  if (typeof value !== 'string') return fail(`${rule}, got ${shown(value)}`);
  const m = AMOUNT.exec(value);
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return fail(`${rule}, got ${shown(value)}`);
  const ms = Math.round(Number(m[1]) * unit);
  return ms >= 1 ? { ok: true, value: ms } : fail(`must be longer than 0, got ${shown(value)}`);
}

/** A positive whole number (the plan's `max_short_term_items: 100`), also as digits in a string. */
export function parseCount(value: unknown): Parsed {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) return { ok: true, value: n };
  if (typeof n === 'number' && n < 0) return fail(`must not be negative, got ${n}`);
  return fail(`must be a whole number of items, at least 1, got ${shown(value)}`);
}

/** A positive number in a fixed unit (`max_long_term_mb: 1024`, `ttl_minutes: 60`): `scale` converts it. */
export function numberIn(unitName: string, scale: number): (value: unknown) => Parsed {
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`must be a number of ${unitName}, got ${shown(value)}`);
    if (value < 0) return fail(`must not be negative, got ${value}`);
    if (value === 0) return fail(`must be more than 0 ${unitName}`);
    return { ok: true, value: Math.round(value * scale) };
  };
}
