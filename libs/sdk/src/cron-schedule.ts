import { CronExpressionParser } from 'cron-parser';
import { ValidationError } from '@weaver/errors';

/** The schedule aliases users may write instead of a cron expression (all in UTC). */
export const SCHEDULE_ALIASES: Readonly<Record<string, string>> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 0',
  monthly: '0 0 1 * *',
  quarterly: '0 0 1 1,4,7,10 *',
  yearly: '0 0 1 1 *',
};

/**
 * Resolves an alias (`quarterly` or `@quarterly`) and checks the expression: 5 fields
 * (minute hour day-of-month month day-of-week) or 6 with seconds first (`* * * * * *` fires
 * every second, which tests use). Throws a ValidationError naming `field` and the rule.
 */
export function parseCron(expression: string, field = 'schedule'): string {
  const spec = expression.trim().replace(/^@/, '');
  const cron = SCHEDULE_ALIASES[spec] ?? spec;
  const fields = cron.split(/\s+/).filter(Boolean).length;
  if (fields !== 5 && fields !== 6) {
    throw new ValidationError(
      [{ field, rule: `must be a 5-field cron expression (6 with seconds first) or one of ${Object.keys(SCHEDULE_ALIASES).join(', ')}; got "${expression}"` }],
      'trigger',
    );
  }
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
  } catch (error) {
    throw new ValidationError([{ field, rule: `"${expression}" is not a valid cron expression: ${(error as Error).message}` }], 'trigger', { cause: error });
  }
  return cron;
}

/** The first tick of `cron` strictly after `afterMs` (epoch ms, UTC). */
export function nextTick(cron: string, afterMs: number): Date {
  return CronExpressionParser.parse(cron, { currentDate: new Date(afterMs), tz: 'UTC' }).next().toDate();
}
