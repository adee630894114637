import type { Metadata } from '@grpc/grpc-js';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PermissionDeniedError } from '@weaver/errors';
import type { Principal } from '@weaver/governance';
import { Authorizer, CAPABILITY_ROLE, type RequestOrigin } from '@weaver/policy';
import { apiKeyOf } from '@weaver/service-kit';
import { AdminToken } from './admin-token';
import { ApiKeyResolver, apiKeyFromHeaders } from '@weaver/tenancy-core';
import { GATEWAY_ACCESS, type RouteAccess } from './gateway-access.table';
import { capabilityFromHeaders } from './result-grants';
import { setRunAccess } from './run-access';

/** One call as the guard reads it, whichever transport. */
interface CallFacts {
  /** What the handler receives too (Fastify request / gRPC metadata): the RunAccess is left on it. */
  carrier: object;
  apiKey: string | undefined;
  adminToken: string | undefined;
  capability: string | undefined;
  params: Record<string, string | undefined>;
  body: Record<string, unknown>;
  origin: RequestOrigin;
  /** Where bad keys are counted (CredentialThrottle): the REST caller's address; gRPC has none today. */
  throttleSource: string | undefined;
}

/** The principal each authenticated call was decided for, for handlers that record who acted (the audit routes). */
const principals = new WeakMap<object, Principal>();

/** The principal GatewayPolicyGuard decided this call (Fastify request / gRPC metadata) for. */
export function principalOfCall(carrier: object): Principal | undefined {
  return principals.get(carrier);
}

const header = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' && v ? v : undefined);

function httpFacts(req: FastifyRequest): CallFacts {
  const body = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  return {
    carrier: req,
    apiKey: apiKeyFromHeaders(req.headers),
    adminToken: header(req.headers['x-admin-token']),
    capability: capabilityFromHeaders(req.headers),
    params: (req.params ?? {}) as Record<string, string | undefined>,
    body,
    origin: { source: req.ip, correlationId: header(req.headers['x-correlation-id']) ?? req.id },
    throttleSource: req.ip,
  };
}

function grpcFacts(ctx: ExecutionContext): CallFacts {
  const rpc = ctx.switchToRpc();
  const metadata = rpc.getContext<Metadata>();
  const data = rpc.getData<Record<string, unknown> | null>() ?? {};
  const call = ctx.getArgByIndex<{ getPeer?: () => string } | undefined>(2);
  const correlation = metadata.get('x-correlation-id')[0];
  const adminToken = metadata.get('x-admin-token')[0];
  return {
    carrier: metadata,
    apiKey: apiKeyOf(metadata),
    // AdminService methods accept the admin token too (their table entries say `credentials: 'admin'`).
    adminToken: typeof adminToken === 'string' && adminToken ? adminToken : undefined,
    capability: undefined,
    params: {},
    body: data,
    origin: { source: call?.getPeer?.() ?? 'grpc', correlationId: typeof correlation === 'string' ? correlation : undefined },
    throttleSource: undefined,
  };
}

/**
 * The policy decision of every gateway route and gRPC method (GATEWAY_ACCESS): who calls (API
 * key → ApiKey principal of its tenant with the key's roles; admin token → Admin), the action
 * and resource from the table, decided in process by the Cedar engine (no round trip: the
 * tenant's set is cached by version). Refusals are PermissionDeniedError naming the action and
 * the determining policies; every decision goes to the audit recorder.
 */
@Injectable()
export class GatewayPolicyGuard implements CanActivate {
  constructor(
    @Inject(Authorizer) private readonly authz: Authorizer,
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
    @Inject(AdminToken) private readonly admin: AdminToken,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const handler = `${ctx.getClass().name}.${ctx.getHandler().name}`;
    const entry = GATEWAY_ACCESS[handler];
    if (!entry) throw new PermissionDeniedError(`${handler} has no entry in the gateway access table: denied by default`);
    const call = ctx.getType() === 'rpc' ? grpcFacts(ctx) : httpFacts(ctx.switchToHttp().getRequest<FastifyRequest>());
    // A capability token is a grant for one result, verified by the handler (ResultGrants) against
    // the run; its holder is then a Service principal of the token's tenant, decided like any other.
    if (entry.capability && call.capability !== undefined) {
      setRunAccess(call.carrier, (run) => {
        const principal: Principal = { type: 'Service', id: 'capability-token', tenantId: run.tenantId, roles: [CAPABILITY_ROLE] };
        const resource = { ...entry.resource({ params: call.params, body: call.body, principal }), tenantId: run.tenantId, workflow: run.workflow, classification: run.classification };
        return this.authz.authorize({ principal, action: entry.action, resource }, call.origin);
      });
      return true;
    }
    const principal = await this.principalOf(entry, call);
    principals.set(call.carrier, principal);
    const resource = entry.resource({ params: call.params, body: call.body, principal });
    if (entry.decidedWithRun) {
      setRunAccess(call.carrier, (run) => this.authz.authorize({ principal, action: entry.action, resource: { ...resource, workflow: run.workflow, classification: run.classification } }, call.origin));
      return true;
    }
    await this.authz.authorize({ principal, action: entry.action, resource }, call.origin);
    return true;
  }

  private async principalOf(entry: RouteAccess, call: CallFacts): Promise<Principal> {
    if (entry.credentials === 'admin' && call.adminToken !== undefined) return this.admin.principalOf(call.adminToken, call.origin.source);
    const key = await this.keys.keyOf(call.apiKey, call.throttleSource);
    return { type: 'ApiKey', id: key.keyId, tenantId: key.tenantId, roles: key.roles };
  }
}
