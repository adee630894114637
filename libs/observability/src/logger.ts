import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs (one object per line) for machines; `WEAVER_LOG_FORMAT=pretty` gives a
 * short human line for a person at a terminal. The level comes from `WEAVER_LOG_LEVEL`.
 */
export function createLogger(service: string, opts: { level?: string; pretty?: boolean } = {}): Logger {
  const level = opts.level ?? process.env['WEAVER_LOG_LEVEL'] ?? 'info';
  const pretty = opts.pretty ?? process.env['WEAVER_LOG_FORMAT'] === 'pretty';
  if (!pretty) return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
  return pino(
    { level, base: { service }, timestamp: false },
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
