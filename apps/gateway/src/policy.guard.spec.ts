import { Metadata } from '@grpc/grpc-js';
import type { ExecutionContext } from '@nestjs/common';
import { Authorizer, MemoryAuditRecorder, PolicyEngine, StaticPolicySource } from '@weaver/policy';
import { AdminToken } from './admin-token';
import type { ApiKeyResolver } from '@weaver/tenancy-core';
import { CredentialThrottle } from '@weaver/tenancy-core';
import { GatewayPolicyGuard } from './policy.guard';
import { runAccessOf } from './run-access';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const ADMIN_TOKEN = 'admin-token-for-the-guard-spec';

/** What Nest hands a guard for a REST handler `<Controller>.<handler>`. */
function httpContext(controller: string, handler: string, req: Record<string, unknown>): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => ({ name: controller }),
    getHandler: () => ({ name: handler }),
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

function rpcContext(handler: string, data: Record<string, unknown>, metadata: Metadata): ExecutionContext {
  return {
    getType: () => 'rpc',
    getClass: () => ({ name: 'GatewayGrpcController' }),
    getHandler: () => ({ name: handler }),
    getArgByIndex: () => ({ getPeer: () => 'ipv4:10.0.0.9:5000' }),
    switchToRpc: () => ({ getData: () => data, getContext: () => metadata }),
  } as unknown as ExecutionContext;
}

describe('GatewayPolicyGuard', () => {
  const source = new StaticPolicySource();
  source.put(T1, [{ id: 'no-confidential-results', text: 'forbid (principal is Weaver::ApiKey, action == Weaver::Action::"result.read", resource) when { resource.level >= 2 };' }]);
  const audit = new MemoryAuditRecorder();
  const keys = { keyOf: async (key?: string) => ({ tenantId: key === 'wv_t2' ? T2 : T1, keyId: `id-of-${key}`, roles: ['runner'] }) } as unknown as ApiKeyResolver;
  const throttle = new CredentialThrottle({ maxFailures: 100, windowMs: 60_000, blockMs: 1_000 });
  const guard = new GatewayPolicyGuard(new Authorizer(new PolicyEngine(), source, audit), keys, new AdminToken(ADMIN_TOKEN, throttle));
  const req = (over: Record<string, unknown> = {}) => ({ headers: { authorization: 'Bearer wv_t1', 'x-correlation-id': 'corr-7' }, params: {}, body: {}, ip: '10.0.0.1', id: 'req-1', ...over });

  beforeEach(() => audit.events.splice(0));

  it('decides a route from the table and records the decision with source and correlation id', async () => {
    await expect(guard.canActivate(httpContext('RunsHttpController', 'start', req({ body: { workflow: 'wf', classification: ['confidential'] } })))).resolves.toBe(true);
    expect(audit.events).toEqual([
      expect.objectContaining({
        tenantId: T1,
        principal: { type: 'ApiKey', id: 'id-of-wv_t1', tenantId: T1, roles: ['runner'] },
        action: 'run.start',
        resource: expect.objectContaining({ type: 'Run', tenantId: T1, workflow: 'wf', classification: ['confidential'] }),
        decision: 'allow',
        reasons: ['weaver.baseline.runner'],
        source: '10.0.0.1',
        correlationId: 'corr-7',
      }),
    ]);
  });

  it("defers run reads to the handler's run: the tenant policy then refuses a confidential result", async () => {
    const r = req({ params: { runId: 'run-1' } });
    await guard.canActivate(httpContext('RunsHttpController', 'result', r));
    expect(audit.events).toEqual([]); // nothing decided before the run is read
    await expect(runAccessOf(r)({ tenantId: T1, runId: 'run-1', workflow: 'wf', classification: ['confidential'] })).rejects.toMatchObject({ message: 'result.read on Result denied: forbidden by policy no-confidential-results' });
    await expect(runAccessOf(r)({ tenantId: T1, runId: 'run-1', workflow: 'wf', classification: [] })).resolves.toBeDefined();
    expect(audit.events.map((e) => e.decision)).toEqual(['deny', 'allow']);
  });

  it('makes the admin token the Admin principal; a runner key on an admin route is refused naming default deny', async () => {
    const admin = req({ headers: { 'x-admin-token': ADMIN_TOKEN }, params: { tenantId: T2 } });
    await expect(guard.canActivate(httpContext('AdminHttpController', 'getQuotas', admin))).resolves.toBe(true);
    expect(audit.events[0]).toMatchObject({ principal: { type: 'Admin' }, tenantId: T2, reasons: ['weaver.baseline.admin'] });
    await expect(guard.canActivate(httpContext('AdminHttpController', 'getQuotas', req({ params: { tenantId: T1 } })))).rejects.toMatchObject({ code: 'PERMISSION_DENIED', details: { policies: ['weaver.default-deny'] } });
    await expect(guard.canActivate(httpContext('AdminHttpController', 'getQuotas', req({ headers: { 'x-admin-token': 'wrong-wrong-wrong-wrong' }, params: { tenantId: T1 } })))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('decides gRPC methods with the key from metadata and the peer as source; refuses a handler without an entry', async () => {
    const md = new Metadata();
    md.set('x-api-key', 'wv_t2');
    await expect(guard.canActivate(rpcContext('startRun', { workflow: 'wf' }, md))).resolves.toBe(true);
    expect(audit.events[0]).toMatchObject({ tenantId: T2, action: 'run.start', source: 'ipv4:10.0.0.9:5000' });
    await expect(guard.canActivate(rpcContext('deleteEverything', {}, md))).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('no entry in the gateway access table') });
  });
});
