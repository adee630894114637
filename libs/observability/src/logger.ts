import pino from 'pino';
import { redactMessage, redactValue, type TextMasker } from './log-redaction';

export type Logger = pino.Logger;

let textMasker: TextMasker | undefined;

/**
 * Installs the masker of personal data in log text (the services install `@weaver/pii`'s
 * `redactText` at start). Process-wide on purpose: every logger of the process, the ones
 * libraries made included, must apply the same rule.
 */
export function setLogTextMasker(mask: TextMasker | undefined): void {
  textMasker = mask;
}

/** Every object and message a Logger writes passes here (log-redaction.ts has the rules). */
const redaction: Pick<pino.LoggerOptions, 'formatters' | 'hooks' | 'serializers'> = {
  formatters: { log: (obj) => redactValue(obj, textMasker) as Record<string, unknown> },
  // formatters.log has already made errors into redacted objects; pino's own err serializer
  // would rename their type to "Object".
  serializers: { err: (e: unknown) => e },
  hooks: {
    logMethod(args, method) {
      const redacted = args.map((a) => (typeof a === 'string' ? redactMessage(a, textMasker) : a)) as Parameters<typeof method>;
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
