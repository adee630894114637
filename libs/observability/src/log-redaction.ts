/**
 * What never reaches a log line, by rule (docs/compliance.md, "Logs"):
 * - secrets by field name at any depth (authorization, api keys, tokens, passwords, private
 *   keys, cookies) → "[redacted]";
 * - secrets by shape inside any string (Weaver API keys `wv_…`, bearer tokens, JWTs, PEM
 *   private keys, `password=` in URLs/DSNs) → "[redacted]";
 * - data carried by database errors: a TypeORM QueryFailedError's `parameters` (run inputs,
 *   model answers, memory values) and PostgreSQL's `detail` ("Key (email)=(…) already exists");
 * - personal data inside strings, through a text masker the service installs at start
 *   (`@weaver/pii`'s `redactText`: e-mails, phones, cards, IBANs, ids, names …).
 * Applied to every object and message a Logger writes (pino `formatters.log` and `hooks`).
 */
export type TextMasker = (text: string) => string;

const SECRET_FIELDS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|token|access[-_]?token|refresh[-_]?token|id[-_]?token|secret|client[-_]?secret|password|passwd|pwd|private[-_]?key|privatekey|admin[-_]?token|plaintext|d)$/i;
/** Fields of errors whose values are the data the failed statement carried. */
const DATA_FIELDS = new Set(['parameters', 'detail', 'driverError']);

const SECRET_SHAPES: RegExp[] = [
  /\bwv_[0-9A-Za-z]{32}\b/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /(?<=:\/\/[^:/@\s]+:)[^@\s]+(?=@)/g, // the password of scheme://user:password@host
  /(?<=\b(?:password|passwd|pwd|secret|token)=)[^&\s"']+/gi,
];

export const REDACTED = '[redacted]';

export function redactSecrets(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

/** A copy of `value` with every rule applied; cycles and depth are bounded (logs stay cheap). */
export function redactValue(value: unknown, mask: TextMasker | undefined, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskText(value, mask);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (value instanceof Error) return errorOf(value, mask, depth, seen);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, mask, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_FIELDS.test(k)) out[k] = REDACTED;
    else if (DATA_FIELDS.has(k)) out[k] = '[omitted: statement data]';
    else out[k] = redactValue(v, mask, depth + 1, seen);
  }
  return out;
}

/** An error as a log object: its type, message, stack and own fields, each redacted; causes followed. */
function errorOf(err: Error, mask: TextMasker | undefined, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const fields = redactValue(Object.fromEntries(Object.entries(err)), mask, depth, seen) as Record<string, unknown>;
  const out: Record<string, unknown> = { type: err.name, message: maskText(err.message, mask), ...fields };
  if (err.stack) out['stack'] = maskText(err.stack, mask);
  if (err.cause !== undefined) out['cause'] = redactValue(err.cause, mask, depth + 1, seen);
  return out;
}

function maskText(text: string, mask: TextMasker | undefined): string {
  const clean = redactSecrets(text);
  return mask ? mask(clean) : clean;
}

export function redactMessage(text: string, mask: TextMasker | undefined): string {
  return maskText(text, mask);
}
