import { credentials, type ChannelCredentials, Metadata } from '@grpc/grpc-js';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { accessRuleOf, apiKeyMetadata, grpcChannelCredentials, mutualTlsAs, protoMethods, SERVICE_IDENTITIES, tenantMetadata, type ProtoMethod, type ServiceIdentity } from '@weaver/service-kit';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { foreignCertificates } from '@weaver/testing';
import { buildAttackWorld, newTriggerJwk, type AttackWorld } from './fixtures/attack-world';
import { RawGrpc, type CallOutcome } from './fixtures/raw-grpc';
import { findLeaks, formsOf, jwkMemberSecret, pemKeySecrets, type Secret } from './fixtures/secret-scan';

/**
 * The cross-tenant attack matrix (issue 8 item 9, docs/security.md): every REST route of the
 * gateway and every gRPC method of every service, tried by tenant A's credentials against
 * tenant B's ids, by no credentials, and by every other service identity; each must be refused
 * (401/403/404, UNAUTHENTICATED/PERMISSION_DENIED/NOT_FOUND) or — where the caller may call it —
 * act only for the tenant of the authenticated context, and no answer may hold anything of B.
 * Then the stack's logs and this test's output are scanned for every secret of the run.
 */
describe('cross-tenant attack matrix', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weaver-attack-'));
  let stack: RunningStack & { namespace: string };
  let w: AttackWorld;
  let stopped = false;
  const raw = new RawGrpc();
  const summary: string[] = [];
  const output: string[] = [];
  const restoreConsole: Array<() => void> = [];

  beforeAll(async () => {
    // The test's own output is scanned too: tee everything it prints.
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level];
      console[level] = (...args: unknown[]) => (output.push(args.map(String).join(' ')), original(...args));
      restoreConsole.push(() => (console[level] = original));
    }
    stack = await startTestStack('attack-matrix', {
      dataDir,
      // Debug logs: the most the services ever write, so the secret scan sees the most. The gateway's
      // route table is read from its "Mapped {…} route" lines (info).
      logLevel: 'debug',
      // The matrix makes many failed attempts from one address on purpose; the throttle has its own test.
      env: { gateway: { AUTH_FAILURE_LIMIT: '10000' } },
    });
    w = await buildAttackWorld(stack, dataDir);
    expect(JSON.stringify(w.b.result)).toContain(w.b.canary); // the canary reaches B's result, so its absence means something
  }, 300_000);

  afterAll(async () => {
    raw.close();
    await w?.close();
    if (!stopped) await stack?.stop();
    for (const r of restoreConsole) r();
  });

  /** B's data and ids; those the attacker itself sent are left out (an error may echo them). */
  const leaksOfB = (answer: string, sent: string): string[] => {
    const b = w.b;
    const marks: Array<[string, string]> = [
      ['canary', b.canary], ['B api key', b.apiKey], ['B api key 2', b.apiKey2], ['B token', b.token], ['B result sha256', b.resultSha256],
      ['B tenant id', b.tenantId], ['B run 1', b.runs[0]!], ['B run 2', b.runs[1]!], ['B key id', b.keyId2], ['B trigger key', b.triggerKeyId], ['B result uri', b.resultUri],
    ];
    return marks.filter(([, v]) => !sent.includes(v) && answer.includes(v)).map(([n]) => n);
  };
  const record = (target: string, attacker: string, outcome: string) => summary.push(`${target.padEnd(58)} ${attacker.padEnd(22)} ${outcome}`);

  // ---------------------------------------------------------------- REST

  type RestAttacker = 'none' | 'A api key' | 'A key as admin token' | 'wrong admin token' | 'B capability token';
  const REST_ATTACKERS: RestAttacker[] = ['none', 'A api key', 'A key as admin token', 'wrong admin token', 'B capability token'];
  const headersOf = (attacker: RestAttacker): Record<string, string> =>
    ({
      none: {},
      'A api key': { authorization: `Bearer ${w.a.apiKey}` },
      'A key as admin token': { 'x-admin-token': w.a.apiKey },
      'wrong admin token': { 'x-admin-token': 'not-the-admin-token-0000000000' },
      'B capability token': { authorization: `Capability ${w.b.token}` },
    })[attacker];

  interface RouteCase {
    /** The request, naming B's ids. */
    path: () => string;
    body?: () => unknown;
    /** B's ids the attacker used in an earlier request (A's own run under B's run id): not B's data when they come back. */
    usedBefore?: () => string[];
    /** Expected status per attacker; a function checks an allowed answer (it acts for A only). */
    expect: Partial<Record<RestAttacker, number | ((res: Response, text: string) => Promise<void> | void)>>;
  }
  // A's key is authenticated but no admin of B (tenant boundary) nor an admin at all (runner role): 403 from the policy engine.
  const ADMIN_ROUTE = { none: 401, 'A api key': 403, 'A key as admin token': 403, 'wrong admin token': 403, 'B capability token': 401 } as const;
  const TENANT_ROUTE = { none: 401, 'A api key': 404, 'A key as admin token': 401, 'wrong admin token': 401, 'B capability token': 401 } as const;
  const PUBLIC = { none: 200, 'A api key': 200, 'A key as admin token': 200, 'wrong admin token': 200, 'B capability token': 200 } as const;

  /**
   * One entry per route the running gateway serves, keyed "METHOD path" as Nest maps it: the
   * test reads the gateway's own route table (its "Mapped {path, METHOD} route" log lines), so a
   * route added without an entry here — or an entry for a route that is gone — fails it.
   */
  const ROUTES: Record<string, RouteCase> = {
    'POST /v1/tenants': { path: () => '/v1/tenants', body: () => ({ name: 'rest-intruder' }), expect: ADMIN_ROUTE },
    'POST /v1/tenants/:tenantId/trigger-keys': { path: () => `/v1/tenants/${w.b.tenantId}/trigger-keys`, body: () => ({ publicJwk: newTriggerJwk() }), expect: ADMIN_ROUTE },
    'DELETE /v1/tenants/:tenantId/trigger-keys/:keyId': { path: () => `/v1/tenants/${w.b.tenantId}/trigger-keys/${w.b.triggerKeyId}`, expect: ADMIN_ROUTE },
    'POST /v1/dlq/:group/replay': { path: () => `/v1/dlq/${stack.namespace}weaver.agent.researcher/replay`, expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/quotas': { path: () => `/v1/admin/tenants/${w.b.tenantId}/quotas`, expect: ADMIN_ROUTE },
    'PUT /v1/admin/tenants/:tenantId/quotas': { path: () => `/v1/admin/tenants/${w.b.tenantId}/quotas`, body: () => ({ concurrent_runs: 1 }), expect: ADMIN_ROUTE },
    // The admin API (issue 12): A's runner key is no admin of B, nor of anything (403); roles on A's own tenant: apps/gateway/test/admin-api.int-spec.ts.
    'POST /v1/admin/tenants': { path: () => '/v1/admin/tenants', body: () => ({ name: 'intruder' }), expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants': { path: () => '/v1/admin/tenants', expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId': { path: () => `/v1/admin/tenants/${w.b.tenantId}`, expect: ADMIN_ROUTE },
    'POST /v1/admin/tenants/:tenantId/suspend': { path: () => `/v1/admin/tenants/${w.b.tenantId}/suspend`, expect: ADMIN_ROUTE },
    'POST /v1/admin/tenants/:tenantId/resume': { path: () => `/v1/admin/tenants/${w.b.tenantId}/resume`, expect: ADMIN_ROUTE },
    'DELETE /v1/admin/tenants/:tenantId': { path: () => `/v1/admin/tenants/${w.b.tenantId}`, expect: ADMIN_ROUTE },
    'POST /v1/admin/tenants/:tenantId/api-keys': { path: () => `/v1/admin/tenants/${w.b.tenantId}/api-keys`, body: () => ({ name: 'stolen', roles: ['admin'] }), expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/api-keys': { path: () => `/v1/admin/tenants/${w.b.tenantId}/api-keys`, expect: ADMIN_ROUTE },
    'DELETE /v1/admin/tenants/:tenantId/api-keys/:keyId': { path: () => `/v1/admin/tenants/${w.b.tenantId}/api-keys/${w.b.keyId2}`, expect: ADMIN_ROUTE },
    'POST /v1/admin/tenants/:tenantId/api-keys/:keyId/rotate': { path: () => `/v1/admin/tenants/${w.b.tenantId}/api-keys/${w.b.keyId2}/rotate`, body: () => ({}), expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/budget': { path: () => `/v1/admin/tenants/${w.b.tenantId}/budget`, expect: ADMIN_ROUTE },
    'PUT /v1/admin/tenants/:tenantId/budget': { path: () => `/v1/admin/tenants/${w.b.tenantId}/budget`, body: () => ({ limitUsd: 1 }), expect: ADMIN_ROUTE },
    'GET /v1/admin/agents': { path: () => '/v1/admin/agents', expect: ADMIN_ROUTE },
    'POST /v1/admin/instances/:instanceId/drain': { path: () => '/v1/admin/instances/attack-matrix-no-such-instance/drain', expect: ADMIN_ROUTE },
    // The agent catalogue is the platform's, not a tenant's: any tenant may read it.
    'GET /v1/agents': { path: () => '/v1/agents', expect: { ...TENANT_ROUTE, 'A api key': 200 } },
    // So is the MCP tool catalogue (who may call what is in the grants, below).
    'GET /v1/tools': { path: () => '/v1/tools', expect: { ...TENANT_ROUTE, 'A api key': 200 } },
    'GET /v1/admin/tenants/:tenantId/tool-grants': { path: () => `/v1/admin/tenants/${w.b.tenantId}/tool-grants`, expect: ADMIN_ROUTE },
    // B's audit log: admin only (each allowed read would itself be audited).
    'GET /v1/admin/tenants/:tenantId/audit/entries': { path: () => `/v1/admin/tenants/${w.b.tenantId}/audit/entries`, expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/audit/entries/:seq/proof': { path: () => `/v1/admin/tenants/${w.b.tenantId}/audit/entries/0/proof`, expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/audit/consistency': { path: () => `/v1/admin/tenants/${w.b.tenantId}/audit/consistency?from=1`, expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/audit/export': { path: () => `/v1/admin/tenants/${w.b.tenantId}/audit/export`, expect: ADMIN_ROUTE },
    'GET /v1/admin/audit/key': { path: () => '/v1/admin/audit/key', expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/pii-policy': { path: () => `/v1/admin/tenants/${w.b.tenantId}/pii-policy`, expect: ADMIN_ROUTE },
    // B's model usage and cost (the router's ledger): admin only.
    'GET /v1/admin/tenants/:tenantId/usage': { path: () => `/v1/admin/tenants/${w.b.tenantId}/usage?groupBy=model`, expect: ADMIN_ROUTE },
    'PUT /v1/admin/tenants/:tenantId/pii-policy': { path: () => `/v1/admin/tenants/${w.b.tenantId}/pii-policy`, body: () => ({ policy: { default: 'allow' } }), expect: ADMIN_ROUTE },
    'PUT /v1/admin/tenants/:tenantId/tool-grants/:agent': { path: () => `/v1/admin/tenants/${w.b.tenantId}/tool-grants/researcher`, body: () => ({ grants: ['fs/*'] }), expect: ADMIN_ROUTE },
    // B's access policies (docs/policies.md): admin routes like the others.
    'PUT /v1/admin/tenants/:tenantId/policies/:id': { path: () => `/v1/admin/tenants/${w.b.tenantId}/policies/planted`, body: () => ({ text: 'permit (principal, action, resource);' }), expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/policies': { path: () => `/v1/admin/tenants/${w.b.tenantId}/policies`, expect: ADMIN_ROUTE },
    'GET /v1/admin/tenants/:tenantId/policies/:id': { path: () => `/v1/admin/tenants/${w.b.tenantId}/policies/planted`, expect: ADMIN_ROUTE },
    'DELETE /v1/admin/tenants/:tenantId/policies/:id': { path: () => `/v1/admin/tenants/${w.b.tenantId}/policies/planted`, expect: ADMIN_ROUTE },
    'POST /v1/admin/tenants/:tenantId/policies::validate': { path: () => `/v1/admin/tenants/${w.b.tenantId}/policies:validate`, body: () => ({ text: 'permit (principal, action, resource);' }), expect: ADMIN_ROUTE },
    'POST /v1/admin/tenants/:tenantId/policies::explain': {
      path: () => `/v1/admin/tenants/${w.b.tenantId}/policies:explain`,
      body: () => ({ principal: { type: 'ApiKey', id: 'k' }, action: 'result.read', resource: { type: 'Result', id: w.b.runs[0] } }),
      expect: ADMIN_ROUTE,
    },
    // A's key naming B's run id and tenant in the body starts A's own run under that id.
    'POST /v1/runs': {
      path: () => '/v1/runs',
      body: () => ({ workflow: 'content-pipeline', input: { topic: 'a again' }, runId: w.b.runs[1], tenantId: w.b.tenantId }),
      expect: {
        ...TENANT_ROUTE,
        'A api key': (res, text) => {
          expect(res.status).toBe(202);
          expect((JSON.parse(text) as { run: { tenantId: string } }).run.tenantId).toBe(w.a.tenantId);
        },
      },
    },
    'GET /v1/runs': {
      path: () => `/v1/runs?tenantId=${w.b.tenantId}`,
      usedBefore: () => [w.b.runs[1]!],
      expect: {
        ...TENANT_ROUTE,
        'A api key': (res, text) => {
          expect(res.status).toBe(200);
          const { runs } = JSON.parse(text) as { runs: Array<{ tenantId: string }> };
          expect(runs.length).toBeGreaterThan(0);
          expect(runs.every((r) => r.tenantId === w.a.tenantId)).toBe(true);
        },
      },
    },
    'GET /v1/runs/:runId': { path: () => `/v1/runs/${w.b.runs[0]}`, expect: TENANT_ROUTE },
    // B's token is B's grant for B's run only: on A's run it is refused (403).
    'GET /v1/runs/:runId/result': { path: () => `/v1/runs/${w.b.runs[0]}/result`, expect: { ...TENANT_ROUTE, 'B capability token': 200 } },
    'GET /v1/runs/:runId/events': { path: () => `/v1/runs/${w.b.runs[0]}/events`, expect: TENANT_ROUTE },
    // The console's data about a run: the run is read first, so B's run is 404 to A (docs/console.md).
    'GET /v1/runs/:runId/model-calls': { path: () => `/v1/runs/${w.b.runs[0]}/model-calls`, expect: TENANT_ROUTE },
    // Runs admin and dead letters (issue 12 item 2): B's run is not A's to cancel or retry; the lists and letters are admin routes.
    'POST /v1/runs/:runId/cancel': { path: () => `/v1/runs/${w.b.runs[0]}/cancel`, expect: TENANT_ROUTE },
    'POST /v1/runs/:runId/retry': { path: () => `/v1/runs/${w.b.runs[0]}/retry`, expect: TENANT_ROUTE },
    'GET /v1/admin/runs': { path: () => `/v1/admin/runs?tenantId=${w.b.tenantId}`, expect: ADMIN_ROUTE },
    'GET /v1/admin/dead-letters': { path: () => `/v1/admin/dead-letters?tenantId=${w.b.tenantId}`, expect: ADMIN_ROUTE },
    'GET /v1/admin/dead-letters/:id': { path: () => `/v1/admin/dead-letters/${stack.namespace}.weaver.agent.researcher~0~0`, expect: ADMIN_ROUTE },
    'POST /v1/admin/dead-letters/:id/replay': { path: () => `/v1/admin/dead-letters/${stack.namespace}.weaver.agent.researcher~0~0/replay`, expect: ADMIN_ROUTE },
    'POST /v1/admin/dead-letters::replay': { path: () => '/v1/admin/dead-letters:replay', body: () => ({}), expect: ADMIN_ROUTE },
    'DELETE /v1/admin/dead-letters/:id': { path: () => `/v1/admin/dead-letters/${stack.namespace}.weaver.agent.researcher~0~0`, expect: ADMIN_ROUTE },
    'GET /health/live': { path: () => '/health/live', expect: PUBLIC },
    'GET /health/ready': { path: () => '/health/ready', expect: PUBLIC },
    'GET /metrics': { path: () => '/metrics', expect: PUBLIC },
    // The OpenAPI document describes the API, not anyone's data (openapi.http-controller.ts).
    'GET /openapi.json': { path: () => '/openapi.json', expect: PUBLIC },
    // The web console's static files: a page with no data (its data comes from the routes above, with the caller's own key).
    'GET /console': { path: () => '/console', expect: PUBLIC },
    'GET /console/*': { path: () => '/console/index.html', expect: PUBLIC },
  };

  it('has a matrix entry for every route the gateway serves, and none for a route it does not', () => {
    const log = readFileSync(join(dataDir, 'logs', 'gateway.log'), 'utf8');
    const served = [...log.matchAll(/Mapped \{([^,]+), (\w+)\} route/g)].map((m) => `${m[2]} ${m[1]}`);
    expect(served.length).toBeGreaterThan(0); // the table was read (Nest's mapping lines), not assumed
    expect([...new Set(served)].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('refuses every REST route to every attacker, and no answer holds anything of B', async () => {
    const failures: string[] = [];
    for (const [route, c] of Object.entries(ROUTES)) {
      const method = route.split(' ')[0]!;
      for (const attacker of REST_ATTACKERS) {
        const want = c.expect[attacker];
        if (want === undefined) continue;
        const body = c.body?.();
        const sent = `${c.path()} ${JSON.stringify(body ?? '')} ${JSON.stringify(headersOf(attacker))} ${c.usedBefore?.().join(' ') ?? ''}`;
        // The B-token "allowed" cell reads B's result with B's grant; the attack is the token on A's run.
        const path = attacker === 'B capability token' && route === 'GET /v1/runs/:runId/result' ? `/v1/runs/${w.a.runs[0]}/result` : c.path();
        const wanted = attacker === 'B capability token' && route === 'GET /v1/runs/:runId/result' ? 403 : want;
        const res = await fetch(`${stack.gatewayUrl}${path}`, {
          method,
          headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headersOf(attacker) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        try {
          if (typeof wanted === 'number') expect(res.status).toBe(wanted);
          else await wanted(res, text);
          expect(leaksOfB(text, sent)).toEqual([]);
          record(route, attacker, `${res.status}${res.status < 400 ? ' (own data/public)' : ''}`);
        } catch (e) {
          failures.push(`${route} × ${attacker}: ${res.status} ${text.slice(0, 200)} — ${(e as Error).message.split('\n')[0]}`);
          record(route, attacker, `FAIL ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The refused admin routes did nothing: no tenant made, B's trigger key untouched (before the
    // fix, three admin routes did not await the admin check — see docs/security.md).
    expect((await w.owner.query(`SELECT 1 FROM tenancy.tenants WHERE name = 'rest-intruder'`)).rowCount).toBe(0);
    expect((await w.owner.query(`SELECT tenant_id FROM tenancy.trigger_keys WHERE tenant_id = $1 AND revoked_at IS NULL`, [w.b.tenantId])).rowCount).toBe(1);
    expect((await w.owner.query(`SELECT 1 FROM policy.tenant_policies WHERE tenant_id = $1`, [w.b.tenantId])).rowCount).toBe(0);
  });

  // ---------------------------------------------------------------- gRPC

  type GrpcAttacker = 'plaintext' | 'TLS, no certificate' | 'foreign CA as gateway' | ServiceIdentity;
  const foreign = foreignCertificates(mkdtempSync(join(tmpdir(), 'weaver-foreign-ca-')));
  const acceptAny = () => undefined;
  const credsOf = (attacker: GrpcAttacker, server: ServiceIdentity): (() => ChannelCredentials) => {
    const ca = () => readFileSync(stack.certs.caFile);
    switch (attacker) {
      case 'plaintext':
        return () => credentials.createInsecure();
      case 'TLS, no certificate':
        return () => credentials.createSsl(ca(), null, null, { checkServerIdentity: acceptAny });
      case 'foreign CA as gateway': {
        const f = foreign.env('gateway');
        return () => credentials.createSsl(ca(), readFileSync(f.GRPC_TLS_KEY_FILE), readFileSync(f.GRPC_TLS_CERT_FILE), { checkServerIdentity: acceptAny });
      }
      default:
        return () => grpcChannelCredentials(mutualTlsAs(attacker, stack.certs.env(attacker)), server);
    }
  };
  const urlOf = (m: ProtoMethod) => stack.services[m.service].grpcUrl;
  const call = (m: ProtoMethod, attacker: GrpcAttacker, request: object, metadata?: Metadata) => raw.call(urlOf(m), attacker, credsOf(attacker, m.service), m, request, metadata);
  const METHODS = protoMethods();
  const method = (path: string) => METHODS.find((m) => m.path === path)!;
  const asOperator = (path: string, request: object, tenant: string) => call(method(path), 'operator', request, tenantMetadata(tenant));
  const ok = (o: CallOutcome) => {
    expect(o).toMatchObject({ code: 'OK' });
    return o.messages[0] as Record<string, unknown>;
  };

  interface MethodCase {
    /** The request naming B (B's tenant id, runs, keys, result). */
    request: () => object;
    /**
     * For an identity the rule allows: the call with A as the authenticated tenant and the
     * request above; checks that it acted for A (or refused) and never reached B.
     */
    allowed: (o: CallOutcome, as: ServiceIdentity) => Promise<void> | void;
  }
  const T = '/weaver.tenancy.v1.TenancyService/';
  const PO = '/weaver.policy.v1.PolicyService/';
  /** Only A's own policies (the one a listed caller planted, harmless to the rest of the matrix) may come back. */
  const onlyPlanted = (o: CallOutcome) => expect((ok(o)['policies'] as Array<{ policyId: string }>).every((p) => p.policyId === 'planted')).toBe(true);
  const R = '/weaver.router.v1.RouterService/';
  const P = '/weaver.publisher.v1.PublisherService/';
  const G = '/weaver.registry.v1.RegistryService/';
  const GW = '/weaver.gateway.v1.GatewayService/';
  const generate = () => ({ tenantId: w.b.tenantId, workflow: 'content-pipeline', agent: 'reviewer', runId: w.b.runs[0], step: 'reviewer', idempotencyKey: w.b.idempotencyKey, messages: [{ role: 'ROLE_USER', content: 'what did tenant b ask?' }] });
  const NO_INSTANCE = 'attack-matrix-no-such-instance';
  /** Registry methods act for no tenant (agents and instances are the platform's): any answer is fine if it holds nothing of B. */
  const platform: MethodCase['allowed'] = () => undefined;

  /** One entry per proto method (checked against protoMethods(): a new method fails until it has one). */
  const CASES: Record<string, MethodCase> = {
    [`${T}CreateTenant`]: { request: () => ({ name: `intruder-${w.b.tenantId}` }), allowed: (o) => void w.issued.push(String(ok(o)['apiKey'])) },
    [`${T}GetTenant`]: { request: () => ({ tenantId: w.b.tenantId }), allowed: (o) => expect((ok(o)['tenant'] as { tenantId: string }).tenantId).toBe(w.a.tenantId) },
    // Only the gateway and the router (its OpenAI-compatible API) resolve keys: the key is the credential, so there is no tenant to confuse; a guess is UNAUTHENTICATED.
    [`${T}ResolveApiKey`]: { request: () => ({ apiKey: `wv_${w.b.keyId2.replace(/-/g, '')}` }), allowed: (o) => expect(o.code).toBe('UNAUTHENTICATED') },
    [`${T}CreateApiKey`]: {
      request: () => ({ tenantId: w.b.tenantId, name: 'stolen' }),
      allowed: async (o) => {
        const key = String(ok(o)['apiKey']);
        w.issued.push(key);
        const resolved = ok(await call(method(`${T}ResolveApiKey`), 'gateway', { apiKey: key }));
        expect(resolved['tenantId']).toBe(w.a.tenantId);
      },
    },
    [`${T}RevokeApiKey`]: { request: () => ({ tenantId: w.b.tenantId, keyId: w.b.keyId2 }), allowed: (o) => expect(o.code).toBe('NOT_FOUND') },
    [`${T}RegisterTriggerKey`]: {
      request: () => ({ tenantId: w.b.tenantId, publicJwkJson: JSON.stringify(newTriggerJwk()), name: 'planted' }),
      allowed: (o) => expect((ok(o)['key'] as { name: string }).name).toBe('planted'), // A's key; B's list is checked at the end
    },
    [`${T}RevokeTriggerKey`]: { request: () => ({ tenantId: w.b.tenantId, keyId: w.b.triggerKeyId }), allowed: (o) => expect(o.code).toBe('NOT_FOUND') },
    [`${T}ListTriggerKeys`]: { request: () => ({ tenantId: w.b.tenantId }), allowed: (o) => expect((ok(o)['keys'] as Array<{ name: string }>).every((k) => k.name === 'planted')).toBe(true) },
    [`${T}GetQuotas`]: { request: () => ({ tenantId: w.b.tenantId }), allowed: (o) => expect((ok(o)['overrides'] as Record<string, unknown>)['concurrentRuns']).not.toBe(777) },
    [`${T}SetQuotas`]: { request: () => ({ tenantId: w.b.tenantId, set: { concurrentRuns: 555 } }), allowed: (o) => expect((ok(o)['overrides'] as Record<string, unknown>)['concurrentRuns']).toBe(555) },
    // The admin API's tenancy methods (issue 12): the platform list (filtered to an empty state here), and
    // A's own tenant and keys — resuming an active A changes nothing; B's key is not found among A's.
    [`${T}ListTenants`]: { request: () => ({ limit: 1, cursor: '', state: 'TENANT_STATE_DELETING' }), allowed: (o) => expect(ok(o)['tenants']).toEqual([]) },
    [`${T}ChangeTenantState`]: {
      request: () => ({ tenantId: w.b.tenantId, change: 'TENANT_STATE_CHANGE_RESUME', requestedBy: 'attacker' }),
      allowed: (o) => expect(ok(o)).toMatchObject({ tenant: { tenantId: w.a.tenantId, state: 'TENANT_STATE_ACTIVE' }, changed: false }),
    },
    [`${T}ListApiKeys`]: { request: () => ({ tenantId: w.b.tenantId, includeRevoked: true }), allowed: (o) => expect((ok(o)['keys'] as Array<{ keyId: string }>).map((k) => k.keyId)).not.toContain(w.b.keyId2) },
    [`${T}RotateApiKey`]: { request: () => ({ tenantId: w.b.tenantId, keyId: w.b.keyId2, gracePeriodSeconds: 0 }), allowed: (o) => expect(o.code).toBe('NOT_FOUND') },
    // The audit log: A's reads answer from A's log (or refuse: A may have no checkpoint yet), never B's entries.
    ...Object.fromEntries(['ListEntries', 'GetInclusionProof', 'GetConsistencyProof', 'ExportBundle', 'GetSigningKey'].map((name) => [
      `/weaver.audit.v1.AuditService/${name}`,
      {
        request: () => ({ tenantId: w.b.tenantId, seq: 0, fromSize: 1 }),
        allowed: (o: CallOutcome) => {
          expect(['OK', 'INVALID_ARGUMENT', 'NOT_FOUND']).toContain(o.code);
          // A's log names B's tenant id where attempts on B were decided (the audit trail
          // working); none of B's data may come back.
          expect(JSON.stringify(o.messages)).not.toContain(w.b.canary);
        },
      } satisfies MethodCase,
    ])),
    // Policies act for the call's tenant (A): B's are neither read nor changed.
    [`${PO}PutPolicy`]: {
      request: () => ({ tenantId: w.b.tenantId, policyId: 'planted', text: 'forbid (principal, action == Weaver::Action::"admin.erasure", resource);', description: '' }),
      allowed: (o) => expect(typeof ok(o)['version']).toBe('number'),
    },
    [`${PO}GetPolicy`]: { request: () => ({ tenantId: w.b.tenantId, policyId: 'b-only' }), allowed: (o) => expect(o.code).toBe('NOT_FOUND') },
    [`${PO}ListPolicies`]: { request: () => ({ tenantId: w.b.tenantId }), allowed: onlyPlanted },
    [`${PO}DeletePolicy`]: { request: () => ({ tenantId: w.b.tenantId, policyId: 'b-only' }), allowed: (o) => expect(o.code).toBe('NOT_FOUND') },
    [`${PO}ValidatePolicy`]: { request: () => ({ text: 'permit (principal, action, resource);' }), allowed: platform },
    [`${PO}GetPolicySet`]: { request: () => ({ tenantId: w.b.tenantId, knownVersion: 0 }), allowed: onlyPlanted },
    // B's exact idempotency key and run: A gets a fresh answer of its own, never B's recorded one (the canary would show).
    [`${R}Generate`]: { request: generate, allowed: (o) => expect(['OK', 'INVALID_ARGUMENT', 'ALREADY_EXISTS', 'FAILED_PRECONDITION']).toContain(o.code) },
    [`${R}GenerateStream`]: { request: generate, allowed: (o) => expect(['OK', 'INVALID_ARGUMENT', 'ALREADY_EXISTS', 'FAILED_PRECONDITION']).toContain(o.code) },
    [`${R}Embed`]: { request: () => ({ tenantId: w.b.tenantId, workflow: 'content-pipeline', agent: 'reviewer', runId: w.b.runs[0], step: 'reviewer', texts: ['a'] }), allowed: (o) => void ok(o) },
    [`${R}GetUsage`]: {
      request: () => ({ tenantId: w.b.tenantId }),
      allowed: async (o) => expect(ok(o)).toEqual(ok(await asOperator(`${R}GetUsage`, { tenantId: '' }, w.a.tenantId))),
    },
    // A run's model calls are read for the call's tenant (A): B's run id finds only calls A itself billed under it (the Generate case above), never B's.
    [`${R}ListModelCalls`]: {
      request: () => ({ tenantId: w.b.tenantId, runId: w.b.runs[0] }),
      allowed: async (o) => expect(ok(o)).toEqual(ok(await asOperator(`${R}ListModelCalls`, { tenantId: '', runId: w.b.runs[0] }, w.a.tenantId))),
    },
    // PII policies act for the call's tenant (A): B keeps the installation's.
    [`${R}GetPiiPolicy`]: { request: () => ({ tenantId: w.b.tenantId }), allowed: (o) => expect(ok(o)['policy']).toBeDefined() },
    [`${R}SetPiiPolicy`]: {
      request: () => ({ tenantId: w.b.tenantId, policyJson: '{"default":"allow"}' }),
      allowed: async (o) => {
        expect(ok(o)['policy']).toBeDefined();
        expect((ok(await asOperator(`${R}GetPiiPolicy`, { tenantId: '' }, w.b.tenantId))['policy'] as { source: string }).source).toBe('installation');
      },
    },
    [`${R}SetBudget`]: { request: () => ({ tenantId: w.b.tenantId, limitUsd: 1000 }), allowed: (o) => expect((ok(o)['budget'] as { limitUsd: number }).limitUsd).toBe(1000) },
    // Stored as A's result (tenant from the context); B's result is read back at the end.
    [`${P}PutResult`]: {
      request: () => ({ tenantId: w.b.tenantId, runId: w.b.runs[0], step: 'reviewer', contentType: 'application/json', data: Buffer.from('"overwritten by a"'), classification: [] }),
      allowed: (o) => expect(String((ok(o)['ref'] as { uri: string }).uri)).toContain(w.a.tenantId),
    },
    [`${P}GetResult`]: { request: () => ({ tenantId: w.b.tenantId, uri: w.b.resultUri, capabilityToken: w.b.token }), allowed: (o) => expect(o.code).toBe('PERMISSION_DENIED') },
    [`${G}RegisterAgent`]: { request: () => ({}), allowed: platform },
    [`${G}RegisterInstance`]: { request: () => ({ agent: 'researcher', instanceId: NO_INSTANCE, host: 'attacker', pid: 1 }), allowed: platform },
    [`${G}Heartbeat`]: { request: () => ({ instanceId: NO_INSTANCE, agent: 'researcher' }), allowed: platform },
    [`${G}Deregister`]: { request: () => ({ instanceId: NO_INSTANCE }), allowed: platform },
    [`${G}DrainInstance`]: { request: () => ({ instanceId: NO_INSTANCE }), allowed: platform },
    [`${G}ListAgents`]: { request: () => ({}), allowed: platform },
    [`${G}ListInstances`]: { request: () => ({}), allowed: platform },
    [`${G}WhatRunsNext`]: { request: () => ({ eventType: 'weaver.run.started' }), allowed: platform },
    [`${G}ReportTools`]: { request: () => ({ runnerId: 'attacker', servers: [] }), allowed: platform },
    [`${G}ListTools`]: { request: () => ({}), allowed: platform },
    // The gateway's tenant API: A's API key against B's runs (checked in the next test); certificates alone are no API key.
    [`${GW}StartRun`]: { request: () => ({ workflow: 'content-pipeline', inputJson: '{"topic":"a"}', runId: w.b.runs[1] }), allowed: platform },
    [`${GW}GetRun`]: { request: () => ({ runId: w.b.runs[0] }), allowed: platform },
    [`${GW}StreamRun`]: { request: () => ({ runId: w.b.runs[0] }), allowed: platform },
    // The gateway's runs admin over gRPC: API keys only, like GatewayService.
    ...Object.fromEntries(['ListRuns', 'CancelRun', 'RetryRun', 'ListDeadLetters', 'GetDeadLetter', 'ReplayDeadLetter', 'ReplayDeadLetters', 'DiscardDeadLetter'].map((name) => [
      `/weaver.gateway.v1.RunAdminService/${name}`,
      { request: () => ({ runId: w.b.runs[0], id: `${stack.namespace}.weaver.agent.researcher~0~0` }), allowed: platform } satisfies MethodCase,
    ])),
    // The gateway's admin API (issue 12): certificates are neither the admin token nor a key (UNAUTHENTICATED);
    // keys and roles across tenants: apps/gateway/test/admin-api.int-spec.ts.
    ...Object.fromEntries(
      ['CreateTenant', 'ListTenants', 'GetTenant', 'SuspendTenant', 'ResumeTenant', 'DeleteTenant', 'CreateApiKey', 'ListApiKeys', 'RevokeApiKey', 'RotateApiKey', 'GetBudget', 'SetBudget', 'GetQuotas', 'SetQuotas', 'GetUsage', 'ListAgents', 'DrainInstance'].map(
        (name) => [`/weaver.gateway.v1.AdminService/${name}`, { request: () => ({ tenantId: w.b.tenantId, keyId: w.b.keyId2, instanceId: NO_INSTANCE }), allowed: platform } satisfies MethodCase],
      ),
    ),
  };

  const GRPC_ATTACKERS: GrpcAttacker[] = ['plaintext', 'TLS, no certificate', 'foreign CA as gateway', ...SERVICE_IDENTITIES];

  it('has a matrix entry for every gRPC method of every service (read from the protos)', () => {
    expect(METHODS.map((m) => m.path).sort()).toEqual(Object.keys(CASES).sort());
  });

  it('refuses every gRPC method to every caller its rule does not list, and a listed caller acts only for its authenticated tenant', async () => {
    const failures: string[] = [];
    for (const m of METHODS) {
      const rule = accessRuleOf(m.path)!;
      const c = CASES[m.path]!;
      for (const attacker of GRPC_ATTACKERS) {
        const listed = rule.callers !== 'public' && typeof attacker === 'string' && (rule.callers as readonly string[]).includes(attacker);
        // A refused caller names B outright (metadata and fields); a listed one is authenticated as A and names B in the fields.
        const md = tenantMetadata(listed ? w.a.tenantId : w.b.tenantId);
        const request = c.request();
        const o = await call(m, attacker, request, md);
        const expected = attacker === 'plaintext' ? 'UNAVAILABLE' : attacker === 'TLS, no certificate' || attacker === 'foreign CA as gateway' || rule.callers === 'public' ? 'UNAUTHENTICATED' : listed ? 'allowed' : 'PERMISSION_DENIED';
        try {
          if (expected === 'allowed') await c.allowed(o, attacker as ServiceIdentity);
          else expect(o.code).toBe(expected);
          // A's own audit log records A's attempts on B (B's tenant id as the resource): that is the
          // trail working, so its entries are checked for B's data (the canary) in `allowed` instead.
          if (!m.path.startsWith('/weaver.audit.v1.AuditService/')) expect(leaksOfB(`${JSON.stringify(o.messages)} ${o.details}`, JSON.stringify(request))).toEqual([]);
          record(m.path, attacker, expected !== 'allowed' ? o.code : `${o.code} (listed caller; ${rule.tenant ? 'acted for A only' : 'platform method'})`);
        } catch (e) {
          failures.push(`${m.path} × ${attacker}: ${o.code} ${o.details.slice(0, 200)} — ${(e as Error).message.split('\n')[0]}`);
          record(m.path, attacker, `FAIL ${o.code}`);
        }
        // A listed caller must name one well-formed tenant: none or a malformed one is refused before the handler.
        if (listed && rule.tenant) {
          const bad = new Metadata();
          bad.set('weaver-tenant-id', `${w.b.tenantId}' OR '1'='1`);
          for (const [label, meta] of [['no tenant', new Metadata()], ['malformed tenant', bad]] as const) {
            const refused = await call(m, attacker, request, meta);
            if (refused.code !== 'INVALID_ARGUMENT') failures.push(`${m.path} × ${attacker} (${label}): ${refused.code}`);
            record(m.path, `${attacker}, ${label}`, refused.code);
          }
        }
      }
    }
    // Reset what the listed callers changed on A (quota, budget), so A stays usable.
    ok(await asOperator(`${T}SetQuotas`, { tenantId: '', reset: ['concurrent_runs'] }, w.a.tenantId));
    expect(failures).toEqual([]);
  });

  it("refuses tenant A's API key on B's runs over the gateway's gRPC API", async () => {
    const key = apiKeyMetadata(w.a.apiKey);
    const getRun = await call(method(`${GW}GetRun`), 'TLS, no certificate', { runId: w.b.runs[0] }, key);
    const stream = await call(method(`${GW}StreamRun`), 'TLS, no certificate', { runId: w.b.runs[0] }, key);
    const start = await call(method(`${GW}StartRun`), 'TLS, no certificate', { workflow: 'content-pipeline', inputJson: '{"topic":"a"}', runId: w.b.runs[1] }, key);
    expect(getRun.code).toBe('NOT_FOUND');
    expect(stream.code).toBe('NOT_FOUND');
    expect((ok(start)['run'] as { tenantId: string }).tenantId).toBe(w.a.tenantId);
    for (const o of [getRun, stream, start]) expect(leaksOfB(`${JSON.stringify(o.messages)} ${o.details}`, w.b.runs.join(' '))).toEqual([]);
    record(`${GW}GetRun`, 'A api key', getRun.code);
    record(`${GW}StreamRun`, 'A api key', stream.code);
    record(`${GW}StartRun`, 'A api key', `${start.code} (A's own run)`);
  });

  it("leaves every one of B's things as it was", async () => {
    const b = w.b;
    for (const key of [b.apiKey, b.apiKey2]) {
      const res = await fetch(`${stack.gatewayUrl}/v1/runs`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      const { runs } = (await res.json()) as { runs: Array<{ runId: string; status: string; input: { topic: string } }> };
      expect(runs.map((r) => r.runId).sort()).toEqual([...b.runs].sort());
      expect(runs.every((r) => r.status === 'completed' && r.input.topic.startsWith(b.canary))).toBe(true);
    }
    const result = await fetch(`${stack.gatewayUrl}/v1/runs/${b.runs[0]}/result`, { headers: { authorization: `Capability ${b.token}` } });
    expect(((await result.json()) as { result: unknown }).result).toEqual(b.result);
    const published = ok(await asOperator(`${P}GetResult`, { tenantId: '', uri: b.resultUri, capabilityToken: b.token }, b.tenantId));
    expect(JSON.parse(Buffer.from(published['data'] as Uint8Array).toString('utf8'))).toEqual(b.result);
    const keys = ok(await asOperator(`${T}ListTriggerKeys`, { tenantId: '' }, b.tenantId))['keys'] as Array<{ keyId: string }>;
    expect(keys.map((k) => k.keyId)).toEqual([b.triggerKeyId]);
    expect((ok(await asOperator(`${T}GetQuotas`, { tenantId: '' }, b.tenantId))['overrides'] as Record<string, unknown>)['concurrentRuns']).toBe(777);
    expect((ok(await asOperator(`${R}GetUsage`, { tenantId: '' }, b.tenantId))['budget'] as { limitUsd: number }).limitUsd).toBe(42);
    console.log(`cross-tenant attack matrix (target × attacker → outcome):\n${summary.join('\n')}`);
  });

  it('never writes a key, token, password or private key into a log or this test\'s output', async () => {
    await stack.stop(); // every line flushed
    stopped = true;
    const ring = JSON.parse(readFileSync(stack.keyringFile, 'utf8')) as { keys: Array<{ id: string; key: string }> };
    const capability = JSON.parse(readFileSync(join(dataDir, 'capability-keys.json'), 'utf8')) as { CAPABILITY_SIGNING_KEY: string };
    const passwordsFile = join(dataDir, 'database-passwords.json');
    const passwords = { ...TEST_SERVICE_PASSWORDS, ...(existsSync(passwordsFile) ? (JSON.parse(readFileSync(passwordsFile, 'utf8')) as Record<string, string>) : {}) };
    const ownerPassword = decodeURIComponent(new URL(stack.ownerUrl).password);
    const secrets: Secret[] = [
      ...w.issued.flatMap((value, i) => formsOf({ name: `issued key/token #${i + 1}`, value })),
      ...formsOf({ name: 'admin token', value: stack.adminToken }),
      ...Object.entries(passwords).flatMap(([service, value]) => formsOf({ name: `database password of ${service}`, value })),
      ...(ownerPassword.length >= 12 ? formsOf({ name: 'database owner password', value: ownerPassword }) : []),
      ...ring.keys.flatMap((k) => formsOf({ name: `keyring KEK ${k.id}`, value: k.key }, Buffer.from(k.key, 'base64'))),
      ...jwkMemberSecret('capability signing key', (JSON.parse(capability.CAPABILITY_SIGNING_KEY) as { d: string }).d),
      ...pemKeySecrets(join(dataDir, 'certs')),
    ];
    expect(secrets.length).toBeGreaterThan(30);
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => ({ where: `logs/${f}`, text: readFileSync(join(dataDir, 'logs', f), 'utf8') }));
    expect(logs.map((l) => l.where)).toEqual(expect.arrayContaining(['logs/gateway.log', 'logs/tenancy.log', 'logs/publisher.log', 'logs/router.log', 'logs/agent-runner.log', 'logs/registry.log']));
    expect(logs.reduce((n, l) => n + l.text.length, 0)).toBeGreaterThan(10_000); // the logs have content to scan
    expect(findLeaks(secrets, [...logs, { where: 'test output', text: output.join('\n') }])).toEqual([]);
    console.log(`secret scan: ${secrets.length} secret forms, ${logs.length} log files (${logs.reduce((n, l) => n + l.text.length, 0)} chars) and the test output: none found`);
  });
});
