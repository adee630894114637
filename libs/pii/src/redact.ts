import { maskOf, rewrite } from './pii-masking';
import { PiiScanner } from './pii-scanner';

/**
 * Log redaction: every detectable value masked (`[EMAIL]`, `[PERSON]` ...), tokens already in
 * the text kept (they are not PII without the tenant's key). Meant for pino: `redactText` for
 * the message, `redactFields` for the merged object (in a `formatters.log` hook or a `hooks.logMethod`).
 */
const defaultScanner = new PiiScanner();

export function redactText(text: string, scanner: PiiScanner = defaultScanner): string {
  const spans = scanner.scan(text);
  return spans.length ? rewrite(text, spans, (s) => maskOf(s.type)) : text;
}

export interface RedactFieldsOptions {
  readonly scanner?: PiiScanner;
  /** Keys whose values are left alone (ids, timestamps: "tenantId", "time", "level" ...). */
  readonly skipKeys?: ReadonlySet<string>;
  /** Deeper objects are replaced by "[DEPTH]" rather than walked (log objects are shallow; a cycle is not). */
  readonly maxDepth?: number;
}

const DEFAULT_SKIP: ReadonlySet<string> = new Set(['level', 'time', 'pid', 'hostname', 'service', 'tenantId', 'runId', 'stepId', 'correlationId', 'traceId', 'spanId', 'msg']);

/**
 * A copy of `value` with every string (at any depth: objects, arrays) passed through
 * `redactText`; other values as they are. Keys in `skipKeys` are copied unchanged. `msg` is
 * skipped by default because pino hands the message separately (redact it with `redactText`).
 */
export function redactFields<T>(value: T, opts: RedactFieldsOptions = {}): T {
  const scanner = opts.scanner ?? defaultScanner;
  const skip = opts.skipKeys ?? DEFAULT_SKIP;
  const maxDepth = opts.maxDepth ?? 8;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, scanner);
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= maxDepth) return '[DEPTH]';
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v instanceof Error) return { name: v.name, message: redactText(v.message, scanner) };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = skip.has(k) ? x : walk(x, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

/**
 * pino's `hooks.logMethod` receives the call's arguments (`log.info(obj?, msg, ...args)`): this
 * returns them with every string redacted and every object passed through `redactFields`, so
 * the wiring in the logger is one line:
 *   hooks: { logMethod(args, method) { method.apply(this, redactLogArguments(args)); } }
 */
export function redactLogArguments<T extends unknown[]>(args: T, opts: RedactFieldsOptions = {}): T {
  return args.map((a) => {
    if (typeof a === 'string') return redactText(a, opts.scanner);
    // An Error stays an Error so pino's serializer still writes `err` with type and stack.
    if (a instanceof Error) return redactedError(a, opts.scanner);
    return typeof a === 'object' && a !== null ? redactFields(a, opts) : a;
  }) as T;
}

function redactedError(err: Error, scanner?: PiiScanner): Error {
  const copy = new Error(redactText(err.message, scanner));
  copy.name = err.name;
  copy.stack = err.stack === undefined ? undefined : redactText(err.stack, scanner);
  return copy;
}
