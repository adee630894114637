import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { firstValueFrom } from 'rxjs';
import { GRPC_SERVICES, type gateway } from '@weaver/contracts';
import { apiKeyMetadata, grpcClient, unary, type GrpcClientHandle } from '@weaver/service-kit';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { FILESYSTEM_SERVER } from '@weaver/testing';

interface RunView {
  runId: string;
  status: string;
  error?: string | null;
}
type Tenant = { tenantId: string; apiKey: string };

/**
 * Tenants' Cedar policies through the whole stack (docs/policies.md): managed over the admin API
 * (validation errors at line:column, explain), and enforced where the request is — the gateway
 * (REST and gRPC: result.read of confidential runs, run.start of a workflow, run.read of
 * restricted runs), the router (model.call with confidential data) and the toolkit (tool.call of
 * a tool with PII). Each refusal names the policy; the request next to it that the policy does
 * not cover succeeds.
 */
describe('access policies end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-e2e-policy-'));
  let stack: RunningStack & { namespace: string };
  let grpc: GrpcClientHandle<gateway.GatewayServiceClient>;

  beforeAll(async () => {
    writeFileSync(join(dir, 'brief.txt'), 'policies decide');
    // Cleared for every level: the tenant's policy, not the server's ceiling, decides here.
    const mcpServers = { mcpServers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, dir], maxClassification: 'restricted' } } };
    stack = await startTestStack('policy', {
      workflows: ['examples/index.ts', 'e2e/fixtures/tool-workflow.ts'],
      env: {
        'agent-runner': { MCP_SERVERS: JSON.stringify(mcpServers), STEP_MAX_ATTEMPTS: '1', POLICY_CACHE_TTL_MS: '0' },
        router: { POLICY_CACHE_TTL_MS: '0' },
        gateway: { POLICY_CACHE_TTL_MS: '0' },
      },
    });
    grpc = grpcClient<gateway.GatewayServiceClient>(GRPC_SERVICES.gateway, stack.gatewayGrpcUrl, stack.operatorSecurity(), { deadlineMs: 30_000 });
  }, 180_000);
  afterAll(async () => {
    grpc?.close();
    await stack?.stop();
  });

  const http = (path: string, init: RequestInit & { key?: string; admin?: boolean } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.admin ? { 'x-admin-token': stack.adminToken } : {}), ...init.headers },
    });
  const putPolicy = (t: Tenant, id: string, text: string) => http(`/v1/admin/tenants/${t.tenantId}/policies/${id}`, { method: 'PUT', admin: true, body: JSON.stringify({ text }) });
  const start = async (t: Tenant, body: Record<string, unknown>): Promise<string> => {
    const res = await http('/v1/runs', { method: 'POST', key: t.apiKey, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run: RunView }).run.runId;
  };
  const finished = async (t: Tenant, runId: string): Promise<RunView> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await http(`/v1/runs/${runId}`, { key: t.apiKey });
      const view = res.status === 200 ? ((await res.json()) as { run: RunView }).run : undefined;
      if (view && (view.status === 'completed' || view.status === 'failed')) return view;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish (last answer ${res.status})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; details: Record<string, unknown> } }).error;

  it('manages policies over the admin API: 400 at line:column with Cedar\'s message, versions, admin only', async () => {
    const acme = await stack.createTenant('policy-admin');
    const bad = await putPolicy(acme, 'typo', 'forbid (principal, action == Weaver::Action::"result.read", resource)\nwhen { resource.levle >= 2 };');
    expect(bad.status).toBe(400);
    const error = await errorOf(bad);
    expect(error.details['violations']).toEqual([{ field: 'text:2:8', rule: expect.stringContaining('attribute `levle`') }]);
    const validate = await http(`/v1/admin/tenants/${acme.tenantId}/policies:validate`, { method: 'POST', admin: true, body: JSON.stringify({ text: 'permit (principal, action, resource) when { resource.level > };' }) });
    expect(validate.status).toBe(400);
    // Column 62 is the `}` where an operand was expected.
    expect(((await errorOf(validate)).details['violations'] as Array<{ field: string; rule: string }>)[0]).toEqual({ field: 'text:1:62', rule: expect.stringContaining('unexpected token') });
    const ok = await http(`/v1/admin/tenants/${acme.tenantId}/policies:validate`, { method: 'POST', admin: true, body: JSON.stringify({ text: 'permit (principal, action, resource);' }) });
    expect(await ok.json()).toEqual({ valid: true });
    expect(await (await putPolicy(acme, 'p1', 'forbid (principal, action == Weaver::Action::"run.cancel", resource);')).json()).toEqual({ id: 'p1', version: 1 });
    const listed = (await (await http(`/v1/admin/tenants/${acme.tenantId}/policies`, { admin: true })).json()) as { version: number; policies: Array<{ id: string }> };
    expect([listed.version, listed.policies.map((p) => p.id)]).toEqual([1, ['p1']]);
    // The tenant's own runner key is no admin: denied by default, the refusal says so.
    const asKey = await http(`/v1/admin/tenants/${acme.tenantId}/policies`, { key: acme.apiKey });
    expect(asKey.status).toBe(403);
    expect((await errorOf(asKey)).message).toBe('admin.policy.read on Policy denied: no policy permits it (denied by default)');
    expect(await (await http(`/v1/admin/tenants/${acme.tenantId}/policies/p1`, { method: 'DELETE', admin: true })).json()).toEqual({ id: 'p1', version: 2 });
  });

  it('refuses result.read of confidential runs by a tenant policy (REST), explains it, and serves the internal run', async () => {
    const t = await stack.createTenant('policy-results');
    expect((await putPolicy(t, 'no-confidential-results', 'forbid (principal is Weaver::ApiKey, action == Weaver::Action::"result.read", resource)\nwhen { resource.level >= 2 };')).status).toBe(200);
    const secret = await start(t, { workflow: 'content-pipeline', input: { topic: 'secret' }, classification: ['confidential'] });
    const plain = await start(t, { workflow: 'content-pipeline', input: { topic: 'plain' } });
    expect((await finished(t, secret)).status).toBe('completed');
    expect((await finished(t, plain)).status).toBe('completed');
    const refused = await http(`/v1/runs/${secret}/result`, { key: t.apiKey });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: 'PERMISSION_DENIED', message: 'result.read on Result denied: forbidden by policy no-confidential-results', details: { policies: ['no-confidential-results'] } });
    expect((await http(`/v1/runs/${plain}/result`, { key: t.apiKey })).status).toBe(200);
    const explain = (body: unknown) => http(`/v1/admin/tenants/${t.tenantId}/policies:explain`, { method: 'POST', admin: true, body: JSON.stringify(body) }).then((r) => r.json());
    const ask = (classification: string[]) => ({ principal: { type: 'ApiKey', id: 'k', roles: ['runner'] }, action: 'result.read', resource: { type: 'Result', id: secret, classification } });
    expect(await explain(ask(['confidential']))).toEqual({ decision: 'deny', version: 1, errors: [], policies: [{ id: 'no-confidential-results', text: expect.stringContaining('resource.level >= 2') }] });
    expect(await explain(ask(['internal']))).toMatchObject({ decision: 'allow', policies: [{ id: 'weaver.baseline.runner' }] });
  });

  it('decides the gRPC run API too: run.start of a workflow and run.read of restricted runs', async () => {
    const t = await stack.createTenant('policy-grpc');
    const text = 'forbid (principal, action == Weaver::Action::"run.start", resource) when { resource.workflow == "tool-docs" };\nforbid (principal, action == Weaver::Action::"run.read", resource) when { resource.levelName == "restricted" };';
    expect((await putPolicy(t, 'grpc-rules', text)).status).toBe(200);
    const md = apiKeyMetadata(t.apiKey);
    await expect(unary(grpc.client.startRun({ workflow: 'tool-docs', inputJson: '{"path":"x"}', classification: [] }, md))).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining('run.start on Run denied: forbidden by policy grpc-rules#1'),
    });
    const started = await unary(grpc.client.startRun({ workflow: 'content-pipeline', inputJson: '{"topic":"grpc"}', classification: [] }, md));
    expect((await unary(grpc.client.getRun({ runId: started.run!.runId }, md))).run?.workflow).toBe('content-pipeline');
    const restricted = await unary(grpc.client.startRun({ workflow: 'content-pipeline', inputJson: '{"topic":"r"}', classification: ['restricted'] }, md));
    await expect(unary(grpc.client.getRun({ runId: restricted.run!.runId }, md))).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('forbidden by policy grpc-rules#2') });
    await expect(firstValueFrom(grpc.client.streamRun({ runId: restricted.run!.runId }, md))).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED, details: expect.stringContaining('grpc-rules#2') });
    expect((await http(`/v1/runs/${restricted.run!.runId}`, { key: t.apiKey })).status).toBe(403);
    expect((await http(`/v1/runs/${restricted.run!.runId}/events`, { key: t.apiKey })).status).toBe(403);
  });

  it('refuses model.call with confidential data in the router, naming the policy; internal runs complete', async () => {
    const t = await stack.createTenant('policy-models');
    expect((await putPolicy(t, 'no-confidential-to-models', 'forbid (principal is Weaver::Agent, action == Weaver::Action::"model.call", resource)\nwhen { resource.level >= 2 };')).status).toBe(200);
    const refused = await finished(t, await start(t, { workflow: 'content-pipeline', input: { topic: 'secret' }, classification: ['confidential'] }));
    expect(refused.status).toBe('failed');
    expect(refused.error).toContain('model.call on Model denied: forbidden by policy no-confidential-to-models');
    expect((await finished(t, await start(t, { workflow: 'content-pipeline', input: { topic: 'plain' } }))).status).toBe('completed');
  });

  it('refuses tool.call of a tool with PII data in the toolkit, naming the policy; the same call without PII runs', async () => {
    const t = await stack.createTenant('policy-tools');
    expect((await putPolicy(t, 'no-pii-to-fs', 'forbid (principal, action == Weaver::Action::"tool.call", resource == Weaver::Tool::"fs/read_text_file")\nwhen { resource.labels.contains("pii") };')).status).toBe(200);
    const path = join(dir, 'brief.txt');
    const refused = await finished(t, await start(t, { workflow: 'tool-docs', input: { path }, classification: ['pii'] }));
    expect(refused.status).toBe('failed');
    expect(refused.error).toContain('tool.call on Tool denied: forbidden by policy no-pii-to-fs');
    expect((await finished(t, await start(t, { workflow: 'tool-docs', input: { path } }))).status).toBe('completed');
  });
});
