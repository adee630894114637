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
import { RunModelCallsHttpController } from './run-model-calls.http-controller';
import { ConsoleHttpController } from './console.http-controller';
import { RunsAdminHttpController } from './runs-admin.http-controller';
import { DeadLettersHttpController } from './dead-letters.http-controller';
import { RunAdminGrpcController } from './run-admin.grpc-controller';
import { OpenApiHttpController } from './openapi.http-controller';
import { AdminGrpcController } from './admin/admin.grpc-controller';
import { OperationsAdminHttpController } from './admin/operations-admin.http-controller';
import { TenantsAdminHttpController } from './admin/tenants-admin.http-controller';

type Ctor = { name: string; prototype: object };
const CONTROLLERS: Ctor[] = [RunsHttpController, AdminHttpController, PolicyHttpController, AuditHttpController, PiiPolicyHttpController, UsageHttpController, GatewayGrpcController, RunModelCallsHttpController, RunsAdminHttpController, DeadLettersHttpController, RunAdminGrpcController,
  // The admin API (issue 12 item 2)
  TenantsAdminHttpController, OperationsAdminHttpController, AdminGrpcController,
];
/** Served to anyone, with no tenant data: the console's static files (its data comes from the guarded routes) and GET /openapi.json. */
const PUBLIC_CONTROLLERS: Ctor[] = [ConsoleHttpController, OpenApiHttpController];

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
    expect(mounted).toEqual([...CONTROLLERS, ...PUBLIC_CONTROLLERS].map((c) => c.name).sort());
  });

  it.each(PUBLIC_CONTROLLERS.map((c) => [c.name, c] as const))('%s is public on purpose: no guard, no entry, GET only', (_name, controller) => {
    expect(Reflect.getMetadata(GUARDS_METADATA, controller)).toBeUndefined();
    expect(Object.keys(GATEWAY_ACCESS).filter((k) => k.startsWith(`${controller.name}.`))).toEqual([]);
    const proto = controller.prototype as Record<string, unknown>;
    const methods = handlersOf(controller).map((h) => Reflect.getMetadata(METHOD_METADATA, proto[h] as object) as number);
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.every((m) => m === 0)).toBe(true); // RequestMethod.GET
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
