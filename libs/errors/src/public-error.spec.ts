import { DeadlineExceededError, NotFoundError, PermissionDeniedError, UnavailableError, ValidationError } from './index';
import { publicErrorOf, publicErrorText } from './public-error';

describe('publicErrorOf', () => {
  it('shows refusals of the caller\'s own request as written', () => {
    expect(publicErrorOf(new ValidationError([{ field: 'input.topic', rule: 'is required' }]))).toEqual({ code: 'INVALID_ARGUMENT', message: 'input is invalid: input.topic: is required' });
    expect(publicErrorOf(new NotFoundError('run', 'r1'), 'ref1')).toEqual({ code: 'NOT_FOUND', message: 'run r1 not found', correlationId: 'ref1' });
    expect(publicErrorOf(new PermissionDeniedError('no')).message).toBe('no');
  });

  it('hides what a server-side failure quotes unless a public message was written for it', () => {
    expect(publicErrorOf(new UnavailableError('connect ECONNREFUSED 10.0.0.7:5432 (pg password auth failed for weaver_runs)')).message).toBe('a service Weaver depends on is unavailable; retry later');
    expect(publicErrorOf(new DeadlineExceededError('provider said: <html>')).message).toBe('the operation did not finish in time; retry later');
    expect(publicErrorOf(new TypeError('Cannot read properties of undefined (reading "apiKey")'))).toEqual({ code: 'INTERNAL', message: 'internal error' });
    expect(publicErrorOf(new DeadlineExceededError('x', { publicMessage: 'step "w" timed out after 5 ms' })).message).toBe('step "w" timed out after 5 ms');
  });

  it('writes one line with the code and the ref for text-only places', () => {
    expect(publicErrorText(new Error('duplicate key value violates unique constraint "steps_pkey"'), 'ab12')).toBe('internal error (INTERNAL, ref ab12)');
    expect(publicErrorText(new NotFoundError('run', 'r'))).toBe('run r not found');
  });
});
