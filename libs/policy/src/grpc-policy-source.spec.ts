import type { Metadata } from '@grpc/grpc-js';
import { of } from 'rxjs';
import type { policy } from '@weaver/contracts';
import { GrpcPolicySource } from './grpc-policy-source';

const T = '11111111-1111-4111-8111-111111111111';

/** A PolicyService stand-in: the tenant's current version and text, answering `unchanged` like tenancy. */
function tenancy() {
  const state = { version: 1, text: 'forbid (principal, action, resource);' };
  const asked: Array<{ knownVersion: number; tenant: unknown }> = [];
  const client: Pick<policy.PolicyServiceClient, 'getPolicySet'> = {
    getPolicySet: (req: policy.GetPolicySetRequest, metadata?: Metadata) => {
      asked.push({ knownVersion: req.knownVersion, tenant: metadata?.get('weaver-tenant-id')[0] });
      const unchanged = req.knownVersion === state.version;
      return of({ version: state.version, unchanged, policies: unchanged ? [] : [{ policyId: 'p', text: state.text, description: '', updatedAtMs: 0 }] });
    },
  };
  return { state, asked, client };
}

describe('GrpcPolicySource', () => {
  it('asks once per tenant per TTL, sends the version it holds, and keeps its set when unchanged', async () => {
    let now = 0;
    const t = tenancy();
    const source = new GrpcPolicySource(t.client, 1_000, 10, () => now);
    const first = await source.setOf(T);
    expect(first).toEqual({ version: 1, policies: [{ id: 'p', text: t.state.text }] });
    expect(await source.setOf(T)).toBe(first);
    expect(t.asked).toEqual([{ knownVersion: 0, tenant: T }]);
    now = 1_000;
    expect(await source.setOf(T)).toBe(first); // asked again, answered `unchanged`
    expect(t.asked.map((a) => a.knownVersion)).toEqual([0, 1]);
    Object.assign(t.state, { version: 2, text: 'permit (principal, action, resource);' });
    source.forget(T); // the replica that changed it applies it at once
    expect(await source.setOf(T)).toEqual({ version: 2, policies: [{ id: 'p', text: 'permit (principal, action, resource);' }] });
    expect(t.asked.map((a) => a.knownVersion)).toEqual([0, 1, 1]);
  });
});
