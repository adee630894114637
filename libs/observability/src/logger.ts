import pino from 'pino';
import { PiiScanner, redactText } from '@weaver/pii';
import { redactMessage, redactValue, type TextMasker } from './log-redaction';

export type Logger = pino.Logger;

/**
 * Personal data in log text, masked by rule (`[EMAIL]`, `[PHONE]`, `[CREDIT_CARD]`, `[IBAN]`,
 * `[NATIONAL_ID]`, `[PERSON]`, `[ADDRESS]`). Rules only, no compromise parse (~10x cheaper, a
 * log line costs well under a millisecond); IP addresses and organisation names stay: service
 * addresses and callers' addresses are what operators and security reviews read logs for.
 */
const LOG_SCANNER = new PiiScanner({ compromise: false, types: ['email', 'phone', 'credit_card', 'iban', 'national_id', 'person', 'address'] });
const maskPersonalData: TextMasker = (text) => redactText(text, LOG_SCANNER);

let textMasker: TextMasker | undefined = maskPersonalData;

/**
 * Marks a log object as the framework's own bookkeeping (Nest's module and route lines at
 * info/debug): secrets are still redacted, personal-data masking is skipped — such lines carry
 * no data, and the masker reads "Starting Nest application" as a name.
 */
export const FRAMEWORK_LINE = Symbol.for('weaver.log.framework');

/**
 * Replaces the masker of personal data in log text (default: the rules above; `undefined`
 * turns masking off, for tests of the other rules). Process-wide on purpose: every logger of
 * the process, the ones libraries made included, applies the same rule.
 */
export function setLogTextMasker(mask: TextMasker | undefined | 'default'): void {
  textMasker = mask === 'default' ? maskPersonalData : mask;
}

/** A text under the log rules (secrets, then personal data): for error texts kept beside logs, such as a dead letter's headers. */
export function redactForLogs(text: string): string {
  return redactMessage(text, textMasker);
}

const isFramework = (a: unknown): boolean => typeof a === 'object' && a !== null && (a as Record<symbol, unknown>)[FRAMEWORK_LINE] === true;

/** Every object and message a Logger writes passes here (log-redaction.ts has the rules). */
const redaction: Pick<pino.LoggerOptions, 'formatters' | 'hooks' | 'serializers'> = {
  formatters: { log: (obj) => redactValue(obj, isFramework(obj) ? undefined : textMasker) as Record<string, unknown> },
  // formatters.log has already made errors into redacted objects; pino's own err serializer
  // would rename their type to "Object".
  serializers: { err: (e: unknown) => e },
  hooks: {
    logMethod(args, method) {
      const mask = isFramework(args[0]) ? undefined : textMasker;
      const redacted = args.map((a) => (typeof a === 'string' ? redactMessage(a, mask) : a)) as Parameters<typeof method>;
      method.apply(this, redacted);
    },
  },
};

/**
 * Structured JSON logs (one object per line) for machines; `WEAVER_LOG_FORMAT=pretty` gives a
 * short human line for a person at a terminal. The level comes from `WEAVER_LOG_LEVEL`.
 */
export function createLogger(service: string, opts: { level?: string; pretty?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const level = opts.level ?? process.env['WEAVER_LOG_LEVEL'] ?? 'info';
  const pretty = opts.pretty ?? process.env['WEAVER_LOG_FORMAT'] === 'pretty';
  if (!pretty) {
    const options = { level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, ...redaction };
    return opts.destination ? pino(options, opts.destination) : pino(options);
  }
  return pino(
    { level, base: { service }, timestamp: false, ...redaction },
    {
      write(line: string) {
        const { level: lvl, msg, service: svc, ...rest } = JSON.parse(line) as Record<string, unknown>;
        delete rest['pid'];
        delete rest['hostname'];
        const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
        process.stdout.write(`[${String(svc)}] ${levelName(Number(lvl))} ${String(msg)}${extra}\n`);
      },
    },
  );
}

function levelName(level: number): string {
  if (level >= 50) return 'ERROR';
  if (level >= 40) return 'WARN ';
  if (level >= 30) return 'INFO ';
  return 'DEBUG';
}
