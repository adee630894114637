import { assertRecordSizes, fitDeadLetter, recordBytes, RecordTooLargeError } from './record-size';

const record = (bytes: number, headers: Record<string, string> = {}) => ({ topic: 't', key: 'k', value: Buffer.alloc(bytes), headers });

describe('record sizes', () => {
  it('refuses a record over the limit, naming the topic, its size and the limit, as not retriable', () => {
    expect(assertRecordSizes([record(10), record(20)], 1_000)).toBe(recordBytes(record(10)) + recordBytes(record(20)));
    let caught: unknown;
    try {
      assertRecordSizes([record(10), record(2_000)], 1_000);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RecordTooLargeError);
    expect((caught as RecordTooLargeError).retriable).toBe(false);
    expect((caught as Error).message).toMatch(/topic "t" is \d+ bytes, over the 1000-byte record limit/);
  });

  it('fits a dead letter: keeps it whole when it fits, then cuts the error text, then drops the value saying so', () => {
    const small = record(100, { 'weaver-dlq-error-message': 'boom' });
    expect(fitDeadLetter(small, 1_000)).toBe(small);
    const longError = record(100, { 'weaver-dlq-error-message': 'e'.repeat(2_000) });
    expect(fitDeadLetter(longError, 1_000).headers?.['weaver-dlq-error-message']).toHaveLength(500);
    const bigValue = record(5_000, { 'weaver-dlq-error-message': 'boom' });
    const fitted = fitDeadLetter(bigValue, 1_000);
    expect(fitted.value).toHaveLength(0);
    expect(fitted.headers?.['weaver-dlq-value-dropped']).toBe('5000 bytes: over the 1000-byte record limit');
    expect(recordBytes(fitted)).toBeLessThanOrEqual(1_000);
  });
});
