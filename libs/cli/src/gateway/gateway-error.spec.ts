import { ValidationError } from '@weaver/errors';
import { GatewayError } from '@weaver/sdk';
import { fromGatewayError, unreachable, type RequestContext } from './gateway-error';

const ctx: RequestContext = { url: 'http://127.0.0.1:8080', method: 'POST', path: '/v1/runs', apiKeySource: 'WEAVER_API_KEY' };

describe('gateway errors as advice', () => {
  it('says which API key was refused, or that none was set', () => {
    const refused = fromGatewayError(new GatewayError('UNAUTHENTICATED', 'POST /v1/runs: bad key', 401, 'bad key'), ctx);
    expect(refused.message).toBe('the API key (from WEAVER_API_KEY) was refused by http://127.0.0.1:8080');
    expect(refused.hint).toMatch(/set WEAVER_API_KEY or pass --api-key/);
    const missing = fromGatewayError(new GatewayError('UNAUTHENTICATED', 'POST /v1/runs: HTTP 401', 401, undefined), { ...ctx, apiKeySource: undefined });
    expect(missing.message).toMatch(/wants an API key and none is set/);
    expect(missing.hint).toMatch(/weaver dev/);
    expect(missing.exitCode).toBe(1);
  });

  it('lists the violations the gateway named', () => {
    const err = fromGatewayError(new ValidationError([{ field: 'input.topic', rule: 'Required' }], 'POST /v1/runs'), ctx);
    expect(err.message).toBe('the gateway refused the request: input.topic: Required');
    expect(err.code).toBe('INVALID_ARGUMENT');
  });

  it('says what the status means when the gateway gave no message of its own', () => {
    expect(fromGatewayError(new GatewayError('NOT_FOUND', 'x', 404, undefined), ctx).message).toBe('POST /v1/runs: not found');
    expect(fromGatewayError(new GatewayError('UNAVAILABLE', 'x', 503, undefined), ctx).message).toMatch(/not ready \(503\)/);
    const internal = fromGatewayError(new GatewayError('INTERNAL', 'x', 500, 'boom'), ctx);
    expect(internal.code).toBe('INTERNAL');
    expect(internal.message).toBe('POST /v1/runs failed with 500: boom');
  });

  it('names the network failure and suggests `weaver dev`', () => {
    const err = unreachable(ctx, new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
    expect(err.message).toBe('cannot reach the gateway at http://127.0.0.1:8080 (ECONNREFUSED)');
    expect(err.hint).toMatch(/is `weaver dev` running\?/);
  });
});
