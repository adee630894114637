import { ValidationError } from '@weaver/errors';
import { nextTick, parseCron } from './cron-schedule';
import { parseTrigger } from './trigger';

describe('parseTrigger', () => {
  it('resolves schedule aliases to cron expressions', () => {
    expect(parseTrigger('schedule:quarterly')).toEqual({ kind: 'schedule', cron: '0 0 1 1,4,7,10 *' });
    expect(parseTrigger('schedule:@daily')).toEqual({ kind: 'schedule', cron: '0 0 * * *' });
    for (const alias of ['hourly', 'daily', 'weekly', 'monthly', 'yearly']) expect(parseTrigger(`schedule:${alias}`).kind).toBe('schedule');
  });

  it('accepts 5-field cron and 6-field cron with seconds', () => {
    expect(parseTrigger('schedule:*/5 * * * *')).toEqual({ kind: 'schedule', cron: '*/5 * * * *' });
    expect(parseTrigger('schedule:* * * * * *')).toEqual({ kind: 'schedule', cron: '* * * * * *' });
  });

  it('refuses bad schedules with the field and rule', () => {
    for (const [spec, rule] of [
      ['schedule:', /must be a 5-field cron expression/],
      ['schedule:* * * *', /must be a 5-field cron expression \(6 with seconds first\) or one of hourly, daily, weekly, monthly, quarterly, yearly; got "\* \* \* \*"/],
      ['schedule:61 * * * *', /"61 \* \* \* \*" is not a valid cron expression: .*0-59/],
      ['schedule:fortnightly', /got "fortnightly"/],
    ] as const) {
      let caught: unknown;
      try {
        parseTrigger(spec);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).violations[0]?.field).toBe('trigger.schedule');
      expect((caught as ValidationError).violations[0]?.rule).toMatch(rule);
    }
  });

  it('parses http, grpc and kafka triggers, and refuses a bad topic or kind', () => {
    expect(parseTrigger('http')).toEqual({ kind: 'http', path: undefined });
    expect(parseTrigger('grpc')).toEqual({ kind: 'grpc' });
    expect(parseTrigger('kafka:orders.created')).toEqual({ kind: 'kafka', topic: 'orders.created' });
    expect(() => parseTrigger('kafka:')).toThrow(/trigger.kafka: needs a Kafka topic name/);
    expect(() => parseTrigger('kafka:bad topic')).toThrow(/got "bad topic"/);
    expect(() => parseTrigger('cron:daily')).toThrow(/kind must be schedule, http, grpc or kafka/);
    expect(() => parseTrigger({ kind: 'schedule', cron: 'daily', input: [] as unknown as Record<string, unknown> })).toThrow(/trigger.input: must be an object/);
  });
});

describe('nextTick', () => {
  it('finds the next quarter start in UTC, strictly after the given time', () => {
    const q = parseCron('quarterly');
    expect(nextTick(q, Date.parse('2026-03-31T23:59:59.500Z')).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(nextTick(q, Date.parse('2026-04-01T00:00:00.000Z')).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(nextTick(q, Date.parse('2026-11-25T10:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('ticks every second with a 6-field expression', () => {
    const every = parseCron('* * * * * *');
    expect(nextTick(every, 1_000_500).getTime()).toBe(1_001_000);
    expect(nextTick(every, 1_001_000).getTime()).toBe(1_002_000);
  });
});
