import * as api from '@weaver/api-schema';
import type { ApiRoute } from '@weaver/api-schema';
import { WeaverClient } from '@weaver/sdk';
import { type RunningStack, startTestStack } from '@weaver/stack';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the document the gateway serves, compared byte for byte with what comes over HTTP
import { GATEWAY_OPENAPI } from '../apps/gateway/src/openapi.http-controller';

/**
 * The schema source against the live gateway: it serves its OpenAPI document without
 * credentials, and what it really answers — runs, their events, catalogues, the admin API,
 * errors — is exactly what the routes' response schemas in @weaver/api-schema say: every field
 * declared (a field the schema does not know fails the test by name), every type as declared.
 */
describe('the gateway\'s answers and its OpenAPI document', () => {
  let stack: RunningStack & { namespace: string };
  let acme: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    stack = await startTestStack('openapi');
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const http = (path: string, init: RequestInit & { key?: string; admin?: boolean } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.admin ? { 'x-admin-token': stack.adminToken } : {}), ...init.headers },
    });

  /** The answer, checked: the route's status, and a body its schema parses to itself (nothing undeclared, nothing missing). */
  async function answerOf(route: ApiRoute, res: Response): Promise<unknown> {
    const text = await res.text();
    expect([route.operationId, res.status, res.status < 300 ? '' : text]).toEqual([route.operationId, route.status, '']);
    if (route.response.kind !== 'json' || route.status === 204) return undefined;
    const body: unknown = JSON.parse(text);
    const parsed = route.response.schema.safeParse(body);
    expect([route.operationId, parsed.success ? [] : parsed.error.issues]).toEqual([route.operationId, []]);
    expect(parsed.data).toEqual(body);
    return body;
  }

  it('serves GET /openapi.json without credentials: the generated document', async () => {
    const res = await http('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(GATEWAY_OPENAPI)));
  });

  it('answers the tenant and run routes as declared, events included', async () => {
    const created = (await answerOf(api.createTenant, await http('/v1/tenants', { method: 'POST', admin: true, body: JSON.stringify({ name: 'openapi-acme' }) }))) as { tenant: { tenantId: string }; apiKey: string };
    acme = { tenantId: created.tenant.tenantId, apiKey: created.apiKey };
    const key = acme.apiKey;
    const started = (await answerOf(api.startRun, await http('/v1/runs', { method: 'POST', key, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: 'schemas' }, classification: ['internal'] }) }))) as { run: { runId: string } };
    const runId = started.run.runId;

    // The SSE stream: each event's data is a RunEvent, until the run ends.
    const events = await http(`/v1/runs/${runId}/events`, { key });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const kinds: string[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of events.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const event: unknown = JSON.parse(data.slice(6));
        const parsed = api.RunEvent.safeParse(event);
        expect([block.split('\n')[0], parsed.success ? [] : parsed.error.issues]).toEqual([block.split('\n')[0], []]);
        expect(parsed.data).toEqual(event);
        kinds.push(parsed.data!.kind);
      }
    }
    expect(kinds[0]).toBe('snapshot');
    expect(kinds.at(-1)).toBe('run.completed');

    await answerOf(api.getRun, await http(`/v1/runs/${runId}`, { key }));
    await answerOf(api.listRuns, await http('/v1/runs?limit=5', { key }));
    await answerOf(api.getRunResult, await http(`/v1/runs/${runId}/result`, { key }));
    const agents = (await answerOf(api.listAgents, await http('/v1/agents', { key }))) as { agents: unknown[] };
    expect(agents.agents.length).toBeGreaterThan(0);
    await answerOf(api.listTools, await http('/v1/tools', { key }));

    // The SDK's client parses with the same schemas: a run through it, end to end.
    const client = new WeaverClient({ url: stack.gatewayUrl, apiKey: key });
    await expect(client.run('content-pipeline', { topic: 'sdk' })).resolves.toBeDefined();
    expect((await client.listRuns(2)).length).toBe(2);
  }, 120_000);

  it('answers the admin routes as declared', async () => {
    const t = `/v1/admin/tenants/${acme.tenantId}`;
    await answerOf(api.getQuotas, await http(`${t}/quotas`, { admin: true }));
    await answerOf(api.setQuotas, await http(`${t}/quotas`, { method: 'PUT', admin: true, body: JSON.stringify({ concurrent_runs: 50, budget_usd: null }) }));
    await answerOf(api.setToolGrants, await http(`${t}/tool-grants/researcher`, { method: 'PUT', admin: true, body: JSON.stringify({ grants: ['fs/*'] }) }));
    await answerOf(api.getToolGrants, await http(`${t}/tool-grants`, { admin: true }));
    const text = 'permit (principal, action == Weaver::Action::"run.read", resource);';
    await answerOf(api.putPolicy, await http(`${t}/policies/readers`, { method: 'PUT', admin: true, body: JSON.stringify({ text }) }));
    await answerOf(api.listPolicies, await http(`${t}/policies`, { admin: true }));
    await answerOf(api.getPolicy, await http(`${t}/policies/readers`, { admin: true }));
    await answerOf(api.validatePolicy, await http(`${t}/policies:validate`, { method: 'POST', admin: true, body: JSON.stringify({ text }) }));
    const explain = { principal: { type: 'ApiKey', id: 'k1', roles: ['runner'] }, action: 'run.read', resource: { type: 'Run', id: 'r1' } };
    await answerOf(api.explainPolicy, await http(`${t}/policies:explain`, { method: 'POST', admin: true, body: JSON.stringify(explain) }));
    await answerOf(api.deletePolicy, await http(`${t}/policies/readers`, { method: 'DELETE', admin: true }));
    await answerOf(api.getPiiPolicy, await http(`${t}/pii-policy`, { admin: true }));
    await answerOf(api.setPiiPolicy, await http(`${t}/pii-policy`, { method: 'PUT', admin: true, body: JSON.stringify({ policy: { default: 'mask', email: 'tokenise' }, expectedVersion: 0 }) }));
    await answerOf(api.getUsage, await http(`${t}/usage?groupBy=model`, { admin: true }));
    await answerOf(api.listAuditEntries, await http(`${t}/audit/entries?limit=5`, { admin: true }));
    await answerOf(api.getAuditSigningKey, await http('/v1/admin/audit/key', { admin: true }));
  }, 120_000);

  it('answers a bad request with the error envelope naming field and rule', async () => {
    const res = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'Not A Name', runId: 'x' }) });
    expect(res.status).toBe(400);
    const body: unknown = await res.json();
    expect(api.ErrorEnvelope.parse(body)).toEqual(body);
    expect(body).toMatchObject({ error: { code: 'INVALID_ARGUMENT', details: { violations: [{ field: 'workflow', rule: expect.any(String) }, { field: 'input', rule: 'is required (any JSON value)' }, { field: 'runId', rule: 'must be a UUID' }] } } });
    const quota = await http(`/v1/admin/tenants/${acme.tenantId}/quotas`, { method: 'PUT', admin: true, body: JSON.stringify({ concurrent_run: 1 }) });
    expect(quota.status).toBe(400);
    expect(await quota.json()).toMatchObject({ error: { details: { violations: [{ field: 'concurrent_run', rule: expect.stringContaining('is not a quota') }] } } });
  });
});
