import { ValidationError } from '@weaver/errors';
import { keyViolations, objectKeyOf, parseResultUri, resultUriOf } from './result-key';

const T = 'AAAAAAAA-1111-4111-8111-111111111111';

describe('result keys and URIs', () => {
  it('lays objects out as tenants/<tenant>/runs/<run>/<step> and round-trips the URI', () => {
    const key = { tenantId: T, runId: 'run-7', step: 'draft.v2' };
    expect(objectKeyOf(key)).toBe('tenants/aaaaaaaa-1111-4111-8111-111111111111/runs/run-7/draft.v2');
    const uri = resultUriOf(key);
    expect(uri).toBe('weaver://results/aaaaaaaa-1111-4111-8111-111111111111/run-7/draft.v2');
    expect(parseResultUri(uri)).toEqual({ ...key, tenantId: T.toLowerCase() });
  });

  it('names each bad field and keeps path tricks out', () => {
    expect(keyViolations({ tenantId: 'nope', runId: '../etc', step: '' }).map((v) => v.field)).toEqual(['tenant_id', 'run_id', 'step']);
    expect(keyViolations({ tenantId: T, runId: '.hidden', step: 'a/b' }).map((v) => v.field)).toEqual(['run_id', 'step']);
    for (const bad of ['s3://x', `weaver://results/${T}/run`, `weaver://results/${T}/run/../x`, `weaver://results/${T}/run/a/b`]) {
      expect(() => parseResultUri(bad)).toThrow(ValidationError);
    }
  });
});
