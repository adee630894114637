import 'reflect-metadata';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ACTIONS } from '@weaver/governance';
import { ACTION_RESOURCES } from '@weaver/policy';
import { AdminHttpController } from './admin.http-controller';
import { GATEWAY_ACCESS } from './gateway-access.table';
import { GatewayGrpcController } from './gateway.grpc-controller';
import { GatewayModule } from './gateway.module';
import { GatewayPolicyGuard } from './policy.guard';
import { PolicyHttpController } from './policy.http-controller';
import { AuditHttpController } from './audit.http-controller';
import { PiiPolicyHttpController } from './pii-policy.http-controller';
import { UsageHttpController } from './usage.http-controller';
import { RunsHttpController } from './runs.http-controller';
import { AdminGrpcController } from './admin/admin.grpc-controller';
import { OperationsAdminHttpController } from './admin/operations-admin.http-controller';
import { TenantsAdminHttpController } from './admin/tenants-admin.http-controller';

type Ctor = { name: string; prototype: object };
const CONTROLLERS: Ctor[] = [RunsHttpController, AdminHttpController, PolicyHttpController, AuditHttpController, PiiPolicyHttpController, UsageHttpController, GatewayGrpcController,
  // The admin API (issue 12 item 2)
  TenantsAdminHttpController, OperationsAdminHttpController, AdminGrpcController,
];

/** The handlers Nest serves: methods with an HTTP route or a gRPC pattern. */
function handlersOf(controller: Ctor): string[] {
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).filter((name) => {
    const fn = proto[name];
    if (name === 'constructor' || typeof fn !== 'function') return false;
    return Reflect.getMetadata(PATH_METADATA, fn) !== undefined || Reflect.getMetadata(METHOD_METADATA, fn) !== undefined || Reflect.getMetadata(PATTERN_METADATA, fn) !== undefined;
  });
}

describe('GATEWAY_ACCESS', () => {
  it('covers exactly the controllers the gateway module mounts', () => {
    const mounted = (Reflect.getMetadata('controllers', GatewayModule) as Ctor[]).map((c) => c.name).sort();
    expect(mounted).toEqual(CONTROLLERS.map((c) => c.name).sort());
  });

  it.each(CONTROLLERS.map((c) => [c.name, c] as const))('has an entry for every route and method of %s, and the guard on it', (_name, controller) => {
    const handlers = handlersOf(controller);
    expect(handlers.length).toBeGreaterThan(0);
    expect(handlers.filter((h) => !GATEWAY_ACCESS[`${controller.name}.${h}`])).toEqual([]);
    expect(Reflect.getMetadata(GUARDS_METADATA, controller)).toContain(GatewayPolicyGuard);
  });

  it('has no entry for a handler that does not exist, and only known actions on the resource types they apply to', () => {
    const served = new Set(CONTROLLERS.flatMap((c) => handlersOf(c).map((h) => `${c.name}.${h}`)));
    expect(Object.keys(GATEWAY_ACCESS).filter((k) => !served.has(k))).toEqual([]);
    const principal = { type: 'ApiKey' as const, id: 'k', tenantId: 't', roles: ['runner'] };
    for (const [key, entry] of Object.entries(GATEWAY_ACCESS)) {
      expect([key, ACTIONS.includes(entry.action)]).toEqual([key, true]);
      const resource = entry.resource({ params: { tenantId: '00000000-0000-4000-8000-000000000001', runId: 'r', id: 'p', keyId: 'k', group: 'g', agent: 'a' }, body: {}, principal });
      expect([key, ACTION_RESOURCES[entry.action].includes(resource.type)]).toEqual([key, true]);
    }
  });
});
