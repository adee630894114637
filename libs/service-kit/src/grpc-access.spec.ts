import { Metadata } from '@grpc/grpc-js';
import { PermissionDeniedError, UnauthenticatedError, ValidationError } from '@weaver/errors';
import { decideAccess } from './grpc-access';
import { GRPC_ACCESS_RULES, accessRuleOf } from './grpc-access.table';
import { protoMethodPaths } from './grpc-methods';
import { TENANT_METADATA, tenantMetadata } from './grpc-tenant';
import { identityOfSubjectAltName } from './service-identity';

const TENANT = '6f1d3c2a-0b7e-4f5a-9c8d-1e2f3a4b5c6d';
const withTenant = () => tenantMetadata(TENANT);

describe('GRPC_ACCESS_RULES', () => {
  it('has a rule for every method of every proto service, and none for methods that do not exist', () => {
    const paths = protoMethodPaths();
    expect(paths.filter((p) => accessRuleOf(p) === undefined)).toEqual([]);
    const ruled = Object.entries(GRPC_ACCESS_RULES).flatMap(([service, methods]) => Object.keys(methods).map((m) => `/${service}/${m}`));
    expect(ruled.filter((p) => !paths.includes(p))).toEqual([]);
  });

  it('lets only the gateway turn an API key into a tenant, and only admins mint keys', () => {
    expect(accessRuleOf('/weaver.tenancy.v1.TenancyService/ResolveApiKey')?.callers).toEqual(['gateway', 'router']);
    expect(accessRuleOf('/weaver.tenancy.v1.TenancyService/CreateApiKey')).toEqual({ callers: ['gateway', 'operator'], tenant: true });
  });

  it('lets the router and the publisher read the quotas they enforce, and only admins set them', () => {
    expect(accessRuleOf('/weaver.tenancy.v1.TenancyService/GetQuotas')).toEqual({ callers: ['gateway', 'operator', 'router', 'publisher'], tenant: true });
    expect(accessRuleOf('/weaver.tenancy.v1.TenancyService/SetQuotas')?.callers).toEqual(['gateway', 'operator']);
    const d = decideAccess({ path: '/weaver.tenancy.v1.TenancyService/SetQuotas', caller: 'router', metadata: withTenant(), insecure: false });
    expect(!d.allowed && d.error.message).toBe('router may not call /weaver.tenancy.v1.TenancyService/SetQuotas');
    expect(decideAccess({ path: '/weaver.tenancy.v1.TenancyService/GetQuotas', caller: 'publisher', metadata: withTenant(), insecure: false }).allowed).toBe(true);
  });

  it('makes every method that acts for a tenant take it from the context, and no public method internal', () => {
    const tenantScoped = protoMethodPaths().filter((p) => accessRuleOf(p)?.tenant);
    expect(tenantScoped.sort()).toEqual(
      [
        '/weaver.audit.v1.AuditService/ExportBundle',
        '/weaver.audit.v1.AuditService/GetConsistencyProof',
        '/weaver.audit.v1.AuditService/GetInclusionProof',
        '/weaver.audit.v1.AuditService/ListEntries',
        '/weaver.policy.v1.PolicyService/DeletePolicy',
        '/weaver.policy.v1.PolicyService/GetPolicy',
        '/weaver.policy.v1.PolicyService/GetPolicySet',
        '/weaver.policy.v1.PolicyService/ListPolicies',
        '/weaver.policy.v1.PolicyService/PutPolicy',
        '/weaver.publisher.v1.PublisherService/GetResult',
        '/weaver.publisher.v1.PublisherService/PutResult',
        '/weaver.router.v1.RouterService/Embed',
        '/weaver.router.v1.RouterService/Generate',
        '/weaver.router.v1.RouterService/GenerateStream',
        '/weaver.router.v1.RouterService/GetPiiPolicy',
        '/weaver.router.v1.RouterService/GetUsage',
        '/weaver.router.v1.RouterService/ListModelCalls',
        '/weaver.router.v1.RouterService/SetBudget',
        '/weaver.router.v1.RouterService/SetPiiPolicy',
        '/weaver.tenancy.v1.TenancyService/CreateApiKey',
        '/weaver.tenancy.v1.TenancyService/GetQuotas',
        '/weaver.tenancy.v1.TenancyService/GetTenant',
        '/weaver.tenancy.v1.TenancyService/ListTriggerKeys',
        '/weaver.tenancy.v1.TenancyService/RegisterTriggerKey',
        '/weaver.tenancy.v1.TenancyService/RevokeApiKey',
        '/weaver.tenancy.v1.TenancyService/RevokeTriggerKey',
        '/weaver.tenancy.v1.TenancyService/SetQuotas',
        // The admin API (issue 12)
        '/weaver.tenancy.v1.TenancyService/ChangeTenantState',
        '/weaver.tenancy.v1.TenancyService/ListApiKeys',
        '/weaver.tenancy.v1.TenancyService/RotateApiKey',
      ].sort(),
    );
    const publicPaths = protoMethodPaths().filter((p) => accessRuleOf(p)?.callers === 'public');
    // The gateway's client-facing services: the run API, runs admin and the admin API (key or admin token, decided by its policy guard).
    expect(publicPaths.every((p) => ['GatewayService', 'RunAdminService', 'AdminService'].some((s) => p.startsWith(`/weaver.gateway.v1.${s}/`)))).toBe(true);
  });
});

describe('decideAccess', () => {
  const generate = '/weaver.router.v1.RouterService/Generate';

  it('allows a listed identity with a tenant in the metadata', () => {
    expect(decideAccess({ path: generate, caller: 'agent-runner', metadata: withTenant(), insecure: false })).toMatchObject({ allowed: true });
  });

  it('answers UNAUTHENTICATED without a verified certificate', () => {
    const d = decideAccess({ path: generate, caller: undefined, metadata: withTenant(), insecure: false });
    expect(d.allowed).toBe(false);
    expect(!d.allowed && d.error).toBeInstanceOf(UnauthenticatedError);
  });

  it('answers PERMISSION_DENIED to an identity the rule does not list, naming both', () => {
    const d = decideAccess({ path: '/weaver.tenancy.v1.TenancyService/CreateApiKey', caller: 'agent-runner', metadata: withTenant(), insecure: false });
    expect(!d.allowed && d.error).toBeInstanceOf(PermissionDeniedError);
    expect(!d.allowed && d.error.message).toBe('agent-runner may not call /weaver.tenancy.v1.TenancyService/CreateApiKey');
  });

  it('denies a method without a rule, whoever calls', () => {
    const d = decideAccess({ path: '/weaver.tenancy.v1.TenancyService/DropEverything', caller: 'gateway', metadata: new Metadata(), insecure: false });
    expect(!d.allowed && d.error).toBeInstanceOf(PermissionDeniedError);
  });

  it('checks identity before the tenant, so a stranger learns nothing about the call', () => {
    const d = decideAccess({ path: generate, caller: undefined, metadata: new Metadata(), insecure: false });
    expect(!d.allowed && d.error).toBeInstanceOf(UnauthenticatedError);
  });

  it.each([
    ['missing', new Metadata()],
    ['not a UUID', tenantMetadata('acme')],
    ['two values', (() => { const m = tenantMetadata(TENANT); m.add(TENANT_METADATA, TENANT); return m; })()],
  ])('refuses a tenant-scoped call whose tenant is %s with INVALID_ARGUMENT naming the entry', (_case, metadata) => {
    const d = decideAccess({ path: generate, caller: 'agent-runner', metadata, insecure: false });
    expect(!d.allowed && d.error).toBeInstanceOf(ValidationError);
    expect(!d.allowed && (d.error as ValidationError).violations[0]?.field).toBe('metadata.weaver-tenant-id');
  });

  it('lets anyone reach the public gateway API (the API key authenticates there)', () => {
    expect(decideAccess({ path: '/weaver.gateway.v1.GatewayService/StartRun', caller: undefined, metadata: new Metadata(), insecure: false }).allowed).toBe(true);
  });

  it('in dev-only insecure mode skips identities but still requires the tenant', () => {
    expect(decideAccess({ path: generate, caller: undefined, metadata: withTenant(), insecure: true }).allowed).toBe(true);
    expect(decideAccess({ path: generate, caller: undefined, metadata: new Metadata(), insecure: true }).allowed).toBe(false);
  });
});

describe('identityOfSubjectAltName', () => {
  it.each([
    ['URI:spiffe://weaver/router, DNS:localhost, IP Address:127.0.0.1', 'router'],
    ['DNS:localhost, URI:spiffe://weaver/agent-runner', 'agent-runner'],
    ['URI:spiffe://weaver/router, URI:spiffe://weaver/gateway', undefined],
    ['URI:spiffe://weaver/root', undefined],
    ['URI:spiffe://other/router', undefined],
    ['DNS:router', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (san, identity) => {
    expect(identityOfSubjectAltName(san)).toBe(identity);
  });
});
