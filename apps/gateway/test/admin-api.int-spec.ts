import { PartyData, eraseRequestedTenants } from '@weaver/privacy';
import { unary } from '@weaver/service-kit';
import { z } from 'zod';
import { ADMIN_TOKEN, startAdminApi, type AdminApiHarness } from './admin-api.harness';
import { PLATFORM_TENANT_CHANGES, ROLE_CASES, type Role } from './admin-roles.cases';

const ROLES: readonly Role[] = ['admin', 'operator', 'runner', 'reader'];
const agent = (name: string) => ({
  name, version: '1.0.0', capabilities: ['summarise'], requires: [`${name}.in`], publishes: [`${name}.out`],
  inputSchema: z.toJSONSchema(z.object({ text: z.string() })) as Record<string, unknown>,
  outputSchema: z.toJSONSchema(z.object({ summary: z.string() })) as Record<string, unknown>,
});
const violations = (body: Record<string, unknown>) => ((body['error'] as { details?: { violations?: Array<{ field: string; rule: string }> } })?.details?.violations ?? []);

/**
 * The admin API (issue 12 item 2, first half) on the real gateway, tenancy, router and registry
 * services (PostgreSQL with every schema and per-service roles, Kafka, mutual TLS): every route
 * over REST and its AdminService method over gRPC, bad input naming field and rule, the role
 * table allowed and refused, and deletion through the erasure step.
 */
describe('admin API: tenants, keys, budgets, agents (REST + gRPC)', () => {
  let h: AdminApiHarness;
  const newTenant = async (name = `t-${Math.random().toString(36).slice(2, 8)}`) => {
    const res = await h.http('POST', '/v1/admin/tenants', { name });
    expect(res.status).toBe(201);
    return res.body as { tenant: { tenantId: string; state: string }; apiKey: string; keyId: string };
  };
  const keyWith = async (tenantId: string, roles: Role[]) => {
    const res = await h.http('POST', `/v1/admin/tenants/${tenantId}/api-keys`, { name: roles.join('+'), roles });
    expect(res.status).toBe(201);
    return (res.body as { apiKey: string }).apiKey;
  };

  beforeAll(async () => {
    h = await startAdminApi();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates, lists page by page, gets, suspends and resumes tenants; a suspended tenant’s keys are refused', async () => {
    const created = [await newTenant('alpha'), await newTenant('beta'), await newTenant('gamma')];
    expect(created[0]!.tenant).toMatchObject({ name: 'alpha', tier: 'standard', state: 'active' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await h.http('GET', `/v1/admin/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      const body = page.body as { tenants: Array<{ tenantId: string }>; nextCursor: string | null };
      expect(body.tenants.length).toBeLessThanOrEqual(2);
      seen.push(...body.tenants.map((t) => t.tenantId));
      cursor = body.nextCursor;
    } while (cursor);
    const ids = created.map((c) => c.tenant.tenantId);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids); // oldest first, each once
    expect(new Set(seen).size).toBe(seen.length);

    const [a] = created;
    expect((await h.http('GET', `/v1/admin/tenants/${a!.tenant.tenantId}`)).body).toMatchObject({ tenant: { tenantId: a!.tenant.tenantId, name: 'alpha', state: 'active' } });
    expect((await h.http('GET', '/v1/agents', undefined, { key: a!.apiKey })).status).toBe(200); // a runner key works
    const suspended = await h.http('POST', `/v1/admin/tenants/${a!.tenant.tenantId}/suspend`);
    expect(suspended.body).toMatchObject({ tenant: { state: 'suspended' }, changed: true });
    expect((await h.http('POST', `/v1/admin/tenants/${a!.tenant.tenantId}/suspend`)).body).toMatchObject({ changed: false });
    const refused = await h.http('GET', '/v1/agents', undefined, { key: a!.apiKey });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('suspended');
    expect((await h.http('GET', '/v1/admin/tenants?state=suspended')).body['tenants']).toEqual([expect.objectContaining({ tenantId: a!.tenant.tenantId })]);
    expect((await h.http('POST', `/v1/admin/tenants/${a!.tenant.tenantId}/resume`)).body).toMatchObject({ tenant: { state: 'active' }, changed: true });
    expect((await h.http('GET', '/v1/agents', undefined, { key: a!.apiKey })).status).toBe(200);
  });

  it('refuses bad input naming the field and the rule', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/v1/admin/tenants', { name: '' }, 'name'],
      ['POST', '/v1/admin/tenants', { name: 'x', tier: 'huge' }, 'tier'],
      ['GET', '/v1/admin/tenants?limit=0', undefined, 'limit'],
      ['GET', '/v1/admin/tenants?state=gone', undefined, 'state'],
      ['GET', '/v1/admin/tenants/not-a-uuid', undefined, 'tenantId'],
    ];
    const { tenant } = await newTenant();
    cases.push(['POST', `/v1/admin/tenants/${tenant.tenantId}/api-keys`, { name: 'k', roles: ['superuser'] }, 'roles.0']);
    cases.push(['PUT', `/v1/admin/tenants/${tenant.tenantId}/budget`, { limitUsd: -1 }, 'limitUsd']);
    cases.push(['POST', `/v1/admin/tenants/${tenant.tenantId}/api-keys/${tenant.tenantId}/rotate`, { gracePeriodSeconds: 1e9 }, 'gracePeriodSeconds']);
    for (const [method, path, body, field] of cases) {
      const res = await h.http(method, path, body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(violations(res.body)).toEqual(expect.arrayContaining([{ field, rule: expect.stringMatching(/^must /) }]));
    }
    expect((await h.http('GET', '/v1/admin/tenants?cursor=bm9wZQ')).status).toBe(400);
    expect((await h.http('GET', `/v1/admin/tenants/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('creates keys with roles (shown once), lists them without secrets, rotates with a grace period and revokes', async () => {
    const { tenant } = await newTenant();
    const base = `/v1/admin/tenants/${tenant.tenantId}/api-keys`;
    const made = await h.http('POST', base, { name: 'ops', roles: ['operator', 'reader'] });
    expect(made.body).toMatchObject({ apiKey: expect.stringMatching(/^wv_/), key: { name: 'ops', roles: ['operator', 'reader'], state: 'active', revokedAt: null } });
    const { apiKey: opsKey, key } = made.body as { apiKey: string; key: { keyId: string; prefix: string } };
    expect(opsKey.startsWith(key.prefix)).toBe(true);
    const listed = await h.http('GET', base);
    expect((listed.body['keys'] as unknown[]).length).toBe(2);
    expect(JSON.stringify(listed.body)).not.toContain(opsKey);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);

    const rotated = await h.http('POST', `${base}/${key.keyId}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated).toMatchObject({ status: 201, body: { key: { name: 'ops', roles: ['operator', 'reader'], state: 'active' }, replaced: { keyId: key.keyId, state: 'expiring' } } });
    const newKey = (rotated.body as { apiKey: string }).apiKey;
    for (const k of [opsKey, newKey]) expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}`, undefined, { key: k })).status).toBe(200);
    expect((await h.http('POST', `${base}/${key.keyId}/rotate`, {})).status).toBe(412); // already rotated: no second replacement
    const revoked = await h.http('DELETE', `${base}/${key.keyId}`);
    expect(revoked.body).toMatchObject({ key: { keyId: key.keyId, state: 'revoked' } });
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}`, undefined, { key: opsKey })).status).toBe(401);
    expect((await h.http('DELETE', `${base}/${key.keyId}`)).status).toBe(200); // idempotent
    expect(((await h.http('GET', base)).body['keys'] as Array<{ keyId: string }>).map((k) => k.keyId)).not.toContain(key.keyId);
    expect(((await h.http('GET', `${base}?includeRevoked=true`)).body['keys'] as Array<{ keyId: string }>).map((k) => k.keyId)).toContain(key.keyId);
    // Rotation without grace: the old key stops at once.
    const now = (await h.http('POST', `${base}/${(rotated.body as { key: { keyId: string } }).key.keyId}/rotate`, {})).body as { apiKey: string };
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}`, undefined, { key: newKey })).status).toBe(401);
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}`, undefined, { key: now.apiKey })).status).toBe(200);
  });

  it('decides every admin operation by role: allowed and refused for each, the admin token everywhere, nothing across tenants', async () => {
    await h.runner.registerAgent(agent('roles-agent'));
    await h.runner.registerInstance({ agent: 'roles-agent', instanceId: 'roles-instance' });
    const { tenant } = await newTenant();
    const other = await newTenant();
    const keys = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await keyWith(tenant.tenantId, [r])] as const))) as Record<Role, string>;
    for (const c of ROLE_CASES) {
      for (const role of ROLES) {
        const res = await h.http(c.method, c.path(tenant.tenantId), c.body, { key: keys[role] });
        expect([c.name, role, res.status]).toEqual([c.name, role, c.allowed.includes(role) ? c.ok : 403]);
        if (res.status === 403) expect(JSON.stringify(res.body)).toMatch(/admin\.|agent\./); // names the action
      }
      const byToken = await h.http(c.method, c.path(tenant.tenantId), c.body, { token: ADMIN_TOKEN });
      expect([c.name, 'admin token', byToken.status]).toEqual([c.name, 'admin token', c.ok]);
    }
    for (const change of PLATFORM_TENANT_CHANGES) for (const role of ROLES) expect((await h.http(change.method, change.path(tenant.tenantId), undefined, { key: keys[role] })).status).toBe(403);
    // A tenant admin administers its own tenant only.
    expect((await h.http('GET', `/v1/admin/tenants/${other.tenant.tenantId}`, undefined, { key: keys.admin })).status).toBe(403);
    expect((await h.http('POST', `/v1/admin/tenants/${other.tenant.tenantId}/api-keys`, { name: 'x' }, { key: keys.admin })).status).toBe(403);
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}`, undefined, {})).status).toBe(401);
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}`, undefined, { token: 'wrong-token-wrong-token' })).status).toBe(403);
  });

  it('sets and reads budgets; lists agents with instances and drains one', async () => {
    const { tenant } = await newTenant();
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}/budget`)).body).toEqual({ tenantId: tenant.tenantId, budget: null });
    const set = await h.http('PUT', `/v1/admin/tenants/${tenant.tenantId}/budget`, { limitUsd: 12.5 });
    expect(set.body).toEqual({ tenantId: tenant.tenantId, budget: { limitUsd: 12.5, spentUsd: 0, reservedUsd: 0, remainingUsd: 12.5 } });
    expect((await h.http('GET', `/v1/admin/tenants/${tenant.tenantId}/budget`)).body).toMatchObject({ budget: { limitUsd: 12.5 } });

    await h.runner.registerAgent(agent('drain-agent'));
    await h.runner.registerInstance({ agent: 'drain-agent', instanceId: 'drain-1', host: 'h1', pid: 11 });
    const listed = await h.http('GET', '/v1/admin/agents?capability=summarise');
    const found = (listed.body['agents'] as Array<{ name: string; instances: Array<{ instanceId: string; health: string }> }>).find((a) => a.name === 'drain-agent');
    expect(found?.instances).toEqual([expect.objectContaining({ instanceId: 'drain-1', health: 'healthy', drainRequested: false })]);
    expect((await h.http('POST', '/v1/admin/instances/drain-1/drain')).body).toMatchObject({ instance: { instanceId: 'drain-1', drainRequested: true } });
    expect((await h.http('POST', '/v1/admin/instances/no-such-instance/drain')).status).toBe(404);
  });

  it('serves the same operations over gRPC AdminService, with the same rules and refusals', async () => {
    const md = h.meta({ token: ADMIN_TOKEN });
    const c = h.admin.client;
    const created = await unary(c.createTenant({ name: 'grpc-tenant', tier: '' }, md));
    const tenantId = created.tenant!.tenantId;
    expect(created.tenant).toMatchObject({ name: 'grpc-tenant', tier: 'standard', state: 'active' });
    expect((await unary(c.getTenant({ tenantId }, md))).tenant?.tenantId).toBe(tenantId);
    expect((await unary(c.listTenants({ limit: 200, cursor: '', state: '' }, md))).tenants.map((t) => t.tenantId)).toContain(tenantId);
    const issued = await unary(c.createApiKey({ tenantId, name: 'grpc-ops', roles: ['operator'] }, md));
    expect(issued.key).toMatchObject({ roles: ['operator'], state: 'active', revokedAt: '' });
    expect((await unary(c.listApiKeys({ tenantId, includeRevoked: false }, md))).keys).toHaveLength(2);
    const rotated = await unary(c.rotateApiKey({ tenantId, keyId: issued.key!.keyId, gracePeriodSeconds: 60 }, md));
    expect(rotated.replaced).toMatchObject({ keyId: issued.key!.keyId, state: 'expiring' });
    expect((await unary(c.revokeApiKey({ tenantId, keyId: rotated.key!.keyId }, md))).key?.state).toBe('revoked');
    expect((await unary(c.setBudget({ tenantId, limitUsd: 3, resetSpent: false }, md))).budget).toMatchObject({ limitUsd: 3, remainingUsd: 3 });
    expect((await unary(c.getBudget({ tenantId }, md))).budget?.limitUsd).toBe(3);
    const usage = await unary(c.getUsage({ tenantId, from: '2026-01-01', to: '', groupBy: ['model'], workflow: '', agent: '', model: '' }, md));
    expect(usage).toMatchObject({ groups: [], totals: { requests: 0, costUsd: 0 }, budget: { limitUsd: 3 } });
    const quotas = await unary(c.setQuotas({ tenantId, quotasJson: '{"concurrent_runs": 7}' }, md));
    expect(JSON.parse(quotas.overridesJson)).toEqual({ concurrent_runs: 7 });
    expect(JSON.parse((await unary(c.getQuotas({ tenantId }, md))).quotasJson)).toMatchObject({ concurrent_runs: 7 });
    expect((await unary(c.suspendTenant({ tenantId }, md))).tenant?.state).toBe('suspended');
    expect((await unary(c.resumeTenant({ tenantId }, md))).changed).toBe(true);
    await h.runner.registerAgent(agent('grpc-agent'));
    await h.runner.registerInstance({ agent: 'grpc-agent', instanceId: 'grpc-1' });
    expect((await unary(c.listAgents({ capability: 'summarise' }, md))).agents.map((a) => a.definition?.name)).toContain('grpc-agent');
    expect((await unary(c.drainInstance({ instanceId: 'grpc-1' }, md))).instance?.drainRequested).toBe(true);

    // Same validation: field and rule.
    await expect(unary(c.createApiKey({ tenantId, name: 'x', roles: ['root'] }, md))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', violations: [{ field: 'roles.0', rule: expect.stringMatching(/^must be one of admin, operator/) }] });
    await expect(unary(c.getUsage({ tenantId, from: 'yesterday', to: '', groupBy: [], workflow: '', agent: '', model: '' }, md))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', violations: [{ field: 'from', rule: expect.any(String) }] });
    await expect(unary(c.getTenant({ tenantId: 'nope' }, md))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', violations: [{ field: 'tenantId', rule: expect.any(String) }] });
    // Same roles: the operator key reads but mints no key; no key lists tenants; no credential is unauthenticated.
    const operator = h.meta({ key: (await unary(c.createApiKey({ tenantId, name: 'op2', roles: ['operator'] }, md))).apiKey });
    expect((await unary(c.getBudget({ tenantId }, operator))).budget?.limitUsd).toBe(3);
    await expect(unary(c.createApiKey({ tenantId, name: 'no', roles: [] }, operator))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(unary(c.listTenants({ limit: 0, cursor: '', state: '' }, operator))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(unary(c.setQuotas({ tenantId, quotasJson: '{}' }, operator))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(unary(c.getTenant({ tenantId }, h.meta({ key: '' })))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const deleted = await unary(c.deleteTenant({ tenantId }, md));
    expect(deleted).toMatchObject({ tenant: { state: 'deleting' }, changed: true, erasureRequestedAt: expect.stringMatching(/^20/) });
  });

  it('deletes a tenant through the erasure path: keys refused at once, data erased by the erasure step, idempotent', async () => {
    const victim = await newTenant('victim');
    const bystander = await newTenant('bystander');
    const id = victim.tenant.tenantId;
    await h.http('PUT', `/v1/admin/tenants/${id}/budget`, { limitUsd: 9 });
    await h.http('PUT', `/v1/admin/tenants/${id}/quotas`, { concurrent_runs: 3 });
    const deleted = await h.http('DELETE', `/v1/admin/tenants/${id}`);
    expect(deleted).toMatchObject({ status: 202, body: { tenant: { tenantId: id, state: 'deleting' }, changed: true, erasure: { requestedAt: expect.any(String), erasedAt: null } } });
    expect((await h.http('GET', '/v1/agents', undefined, { key: victim.apiKey })).status).toBe(403);
    expect((await h.http('POST', `/v1/admin/tenants/${id}/resume`)).status).toBe(412);
    expect((await h.http('DELETE', `/v1/admin/tenants/${id}`)).body).toMatchObject({ changed: false, tenant: { state: 'deleting' } });

    const reports = await eraseRequestedTenants(h.owner, new PartyData({ pool: h.owner }));
    const mine = reports.find((r) => r.party.tenantId === id);
    expect(mine?.rowsDeleted).toMatchObject({ 'tenancy.tenants': 1, 'tenancy.api_keys': 1, 'tenancy.tenant_quotas': 1, 'router.tenant_budgets': 1 });
    expect((await eraseRequestedTenants(h.owner, new PartyData({ pool: h.owner }))).map((r) => r.party.tenantId)).not.toContain(id);
    const leftovers = await h.owner.query(`SELECT count(*)::int AS n FROM tenancy.tenants WHERE id = $1`, [id]);
    expect(leftovers.rows[0].n).toBe(0);
    expect((await h.http('GET', `/v1/admin/tenants/${id}`)).status).toBe(404);
    expect((await h.http('GET', '/v1/agents', undefined, { key: victim.apiKey })).status).toBe(401);
    const again = await h.http('DELETE', `/v1/admin/tenants/${id}`);
    expect(again).toMatchObject({ status: 202, body: { tenant: { tenantId: id, state: 'erased' }, changed: false, erasure: { erasedAt: expect.any(String) } } });
    expect((await h.http('GET', `/v1/admin/tenants/${bystander.tenant.tenantId}`)).body).toMatchObject({ tenant: { state: 'active' } });
  });
});
