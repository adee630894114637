import { ValidationError, NotFoundError, asWeaverError, httpStatusOf, grpcStatusOf, errorCodeOfGrpc } from './index';

describe('errors', () => {
  it('names the field and the rule in a validation error', () => {
    const err = new ValidationError([{ field: 'input.topic', rule: 'must be a non-empty string' }]);
    expect(err.message).toBe('input is invalid: input.topic: must be a non-empty string');
    expect(err.retriable).toBe(false);
    expect(httpStatusOf(err.code)).toBe(400);
    expect(grpcStatusOf(err.code)).toBe(3);
  });

  it('maps not-found both ways through gRPC', () => {
    const err = new NotFoundError('run', 'r1');
    expect(httpStatusOf(err.code)).toBe(404);
    expect(errorCodeOfGrpc(grpcStatusOf(err.code))).toBe('NOT_FOUND');
  });

  it('treats unknown throwables as retriable internal errors', () => {
    const err = asWeaverError(new TypeError('boom'));
    expect(err.code).toBe('INTERNAL');
    expect(err.retriable).toBe(true);
    expect(err.cause).toBeInstanceOf(TypeError);
  });
});
