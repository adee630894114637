import { BadRequestException, NotFoundException } from '@nestjs/common';
import { NotFoundError, UnavailableError, ValidationError, WeaverError } from '@weaver/errors';
import { httpErrorOf } from './http-error';

describe('httpErrorOf', () => {
  it('maps a WeaverError to its status with code, message and details', () => {
    expect(httpErrorOf(new NotFoundError('run', 'r-1'))).toEqual({
      status: 404,
      internal: false,
      body: { error: { code: 'NOT_FOUND', message: 'run r-1 not found', details: { resource: 'run', id: 'r-1' } } },
    });
  });

  it('names the field and rule of a validation error', () => {
    const { status, body } = httpErrorOf(new ValidationError([{ field: 'workflow', rule: 'is required' }]));
    expect(status).toBe(400);
    expect(body.error.message).toBe('input is invalid: workflow: is required');
    expect(body.error.details['violations']).toEqual([{ field: 'workflow', rule: 'is required' }]);
  });

  it('keeps the status of Nest HTTP exceptions', () => {
    expect(httpErrorOf(new NotFoundException('Cannot GET /nope')).body.error).toMatchObject({ code: 'NOT_FOUND', message: 'Cannot GET /nope' });
    expect(httpErrorOf(new BadRequestException('bad json')).status).toBe(400);
  });

  it('turns anything else into a 500 that reveals nothing', () => {
    const result = httpErrorOf(new TypeError('db password is hunter2'));
    expect(result).toEqual({ status: 500, internal: true, body: { error: { code: 'INTERNAL', message: 'internal error', details: {} } } });
  });

  it('shows a server-side failure without the dependency\'s words, naming where the whole error was logged', () => {
    const leaky = new UnavailableError('S3 put to bucket acme-prod-secrets failed: AccessDenied', { details: { bucket: 'acme-prod-secrets', retryAfterSeconds: 2 } });
    const result = httpErrorOf(leaky, 'c0ffee');
    expect(result.internal).toBe(true);
    expect(result.body.error).toEqual({ code: 'UNAVAILABLE', message: 'a service Weaver depends on is unavailable; retry later', details: { retryAfterSeconds: 2 }, correlationId: 'c0ffee' });
    expect(JSON.stringify(result.body)).not.toContain('acme-prod-secrets');
    const guided = new UnavailableError('broker said NOT_LEADER', { publicMessage: 'run r is recorded; retry with the same runId' });
    expect(httpErrorOf(guided, 'id').body.error.message).toBe('run r is recorded; retry with the same runId');
    expect(httpErrorOf(new WeaverError('INTERNAL', 'relation "runs.runs" does not exist'), 'x').body.error.message).toBe('internal error');
  });
});
