import { fromErrorAnswer, unreachable, type RequestContext } from './gateway-error';

const ctx: RequestContext = { url: 'http://127.0.0.1:8080', method: 'POST', path: '/v1/runs', apiKeySource: 'WEAVER_API_KEY' };

describe('gateway errors as advice', () => {
  it('says which API key was refused, or that none was set', () => {
    const refused = fromErrorAnswer(401, { error: { code: 'UNAUTHENTICATED', message: 'bad key' } }, ctx);
    expect(refused.message).toBe('the API key (from WEAVER_API_KEY) was refused by http://127.0.0.1:8080');
    expect(refused.hint).toMatch(/set WEAVER_API_KEY or pass --api-key/);
    const missing = fromErrorAnswer(401, undefined, { ...ctx, apiKeySource: undefined });
    expect(missing.message).toMatch(/wants an API key and none is set/);
    expect(missing.hint).toMatch(/weaver dev/);
    expect(missing.exitCode).toBe(1);
  });

  it('lists the violations the gateway named', () => {
    const err = fromErrorAnswer(400, { error: { code: 'INVALID_ARGUMENT', message: 'input is invalid', details: { violations: [{ field: 'input.topic', rule: 'Required' }] } } }, ctx);
    expect(err.message).toBe('the gateway refused the request: input.topic: Required');
    expect(err.code).toBe('INVALID_ARGUMENT');
  });

  it('derives the code from the status when the body is not the documented JSON', () => {
    expect(fromErrorAnswer(404, '<html>', ctx).code).toBe('NOT_FOUND');
    expect(fromErrorAnswer(503, undefined, ctx).message).toMatch(/not ready \(503\)/);
    const internal = fromErrorAnswer(500, { error: { code: 'WHATEVER', message: 'boom' } }, ctx);
    expect(internal.code).toBe('INTERNAL');
    expect(internal.message).toBe('POST /v1/runs failed with 500: boom');
  });

  it('names the network failure and suggests `weaver dev`', () => {
    const err = unreachable(ctx, new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
    expect(err.message).toBe('cannot reach the gateway at http://127.0.0.1:8080 (ECONNREFUSED)');
    expect(err.hint).toMatch(/is `weaver dev` running\?/);
  });
});
