import { kafkaRunId, runIdFromName, scheduledRunId } from './run-ids';

describe('run ids derived from names', () => {
  it('are version-5 UUIDs, equal for the same name and different otherwise', () => {
    const id = runIdFromName('schedule/a/b/c');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runIdFromName('schedule/a/b/c')).toBe(id);
    expect(runIdFromName('schedule/a/b/d')).not.toBe(id);
  });

  it('name a scheduled tick per tenant and a Kafka record per position and time', () => {
    const tick = new Date('2026-04-01T00:00:00Z');
    const t1 = '0b7f3a52-3c43-4bd5-9a57-1b0d0b3c7a11';
    expect(scheduledRunId(t1, 'quarterly-report', tick)).toBe(scheduledRunId(t1.toUpperCase(), 'quarterly-report', new Date(tick.getTime())));
    expect(scheduledRunId(t1, 'quarterly-report', tick)).not.toBe(scheduledRunId('1b7f3a52-3c43-4bd5-9a57-1b0d0b3c7a11', 'quarterly-report', tick));
    const rec = { topic: 'orders', partition: 1, offset: '42', timestamp: '1700000000000' };
    expect(kafkaRunId(rec)).toBe(kafkaRunId({ ...rec }));
    expect(kafkaRunId(rec)).not.toBe(kafkaRunId({ ...rec, offset: '43' }));
    expect(kafkaRunId(rec)).not.toBe(kafkaRunId({ ...rec, timestamp: '1700000000001' })); // a re-created topic
  });
});
