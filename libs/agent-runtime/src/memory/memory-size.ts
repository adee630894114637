import { ResourceExhaustedError, ValidationError } from '@weaver/errors';

/** A JSON value as stored: a deep copy (later mutation by the agent changes nothing) and its size in bytes. */
export function jsonValue(field: string, value: unknown): { value: unknown; json: string } {
  if (value === undefined) throw new ValidationError([{ field, rule: 'must be a JSON value (not undefined)' }], 'memory write');
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError([{ field, rule: `must be JSON-serialisable (${(error as Error).message})` }], 'memory write');
  }
  if (json === undefined) throw new ValidationError([{ field, rule: 'must be a JSON value (functions and symbols are not)' }], 'memory write');
  return { value: JSON.parse(json) as unknown, json };
}

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** One item can never fit a byte limit smaller than itself: refused at once, naming the limit. */
export function assertFits(limit: string, maxBytes: number, bytes: number, what: string): void {
  if (bytes > maxBytes) throw new ResourceExhaustedError(`${what} is ${bytes} bytes, more than the whole ${limit} limit of ${maxBytes} bytes`, { limit, maxBytes, bytes });
}

export function assertKey(field: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw new ValidationError([{ field, rule: 'must be a non-empty string of at most 512 characters' }], 'memory key');
}
