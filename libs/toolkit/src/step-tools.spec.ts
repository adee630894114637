import { ToolDeniedError, ToolFailedError, type ToolDescription, type ToolResult } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { StepTools, type ToolRuntime, type ToolScope } from './step-tools';
import { memoryToolCallLog } from './tool-call-store';
import { noTools } from './mcp-toolkit';
import { Authorizer, MemoryAuditRecorder, PolicyEngine, StaticPolicySource } from '@weaver/policy';

const llm = llmClientFrom({ generate: async () => ({ text: '', toolCalls: [], model: 'm', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false }) });
const catalogue: ToolDescription[] = ['fs/read', 'fs/write', 'web/fetch'].map((name) => ({ name, description: name, inputSchema: { type: 'object' } }));

function runtime(admin: Record<string, string[]> = {}) {
  const invoked: string[] = [];
  const calls = memoryToolCallLog();
  const rt: ToolRuntime = {
    catalogue: () => catalogue,
    // web/* is cleared for confidential data; fs/* keeps the default (internal).
    ceilingOf: (name) => (name.startsWith('web/') ? 'confidential' : 'internal'),
    adminGrants: async (_tenant, agent) => admin[agent] ?? [],
    invoke: async (name, args): Promise<ToolResult> => {
      invoked.push(name);
      return name === 'fs/read' && args['path'] === 'missing' ? { content: [{ type: 'text', text: 'ENOENT' }], isError: true } : { content: [{ type: 'text', text: `${name} #${invoked.length}` }] };
    },
    calls,
    observe: () => undefined,
  };
  return { rt, invoked, calls };
}

const scope: ToolScope = { tenantId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002', workflow: 'w', agent: 'writer', step: 'writer', grants: ['fs/*'], llm };

describe('StepTools (deny by default, records, replay)', () => {
  it('lists definition + admin grants only, and denies the rest naming tool and agent', async () => {
    const { rt, invoked, calls } = runtime({ writer: ['web/fetch'], other: ['fs/write'] });
    const tools = new StepTools(rt, { ...scope, grants: ['fs/read'] });
    expect(await tools.list()).toEqual(['fs/read', 'web/fetch']);
    await expect(tools.call('fs/write', {})).rejects.toThrow(new ToolDeniedError('fs/write', 'writer'));
    expect(invoked).toEqual([]);
    expect(calls.calls.map((c) => [c.seq, c.tool, c.outcome])).toEqual([[1, 'fs/write', 'denied']]);
  });

  it('answers a redelivered step from its records: same seq, tool and arguments do not run again', async () => {
    const { rt, invoked } = runtime();
    const first = new StepTools(rt, scope);
    const a = await first.call('fs/write', { path: 'x', data: 1 });
    await expect(first.call('fs/read', { path: 'missing' })).rejects.toBeInstanceOf(ToolFailedError);
    const again = new StepTools(rt, scope);
    expect(await again.call('fs/write', { data: 1, path: 'x' })).toEqual(a);
    await expect(again.call('fs/read', { path: 'missing' })).rejects.toThrow('tool "fs/read" (agent "writer") failed: ENOENT');
    expect(invoked).toEqual(['fs/write', 'fs/read']);
    // A different call at a recorded position runs (and replaces the record).
    await again.call('fs/read', { path: 'y' });
    expect(invoked).toEqual(['fs/write', 'fs/read', 'fs/read']);
  });

  it('hides and refuses tools cleared below the step\'s classification, recording the denial', async () => {
    const { rt, invoked, calls } = runtime({ writer: ['web/fetch'] });
    const tools = new StepTools(rt, { ...scope, classification: ['confidential', 'pii'] });
    expect(await tools.list()).toEqual(['web/fetch']);
    await expect(tools.call('fs/read', {})).rejects.toThrow('tool "fs/read" may receive data up to "internal"; this step is "confidential"');
    expect(await tools.call('web/fetch', {})).toEqual({ content: [{ type: 'text', text: 'web/fetch #1' }] });
    expect(invoked).toEqual(['web/fetch']);
    expect(calls.calls.map((c) => [c.tool, c.outcome])).toEqual([['fs/read', 'denied'], ['web/fetch', 'ok']]);
    const restricted = new StepTools(rt, { ...scope, classification: ['restricted'] });
    expect(await restricted.list()).toEqual([]);
  });

  it('refuses names that are not server/tool, naming the field', async () => {
    await expect(new StepTools(runtime().rt, scope).call('read', {})).rejects.toThrow('tools.call.name: must be "<server>/<tool>"');
  });

  it("decides tool.call by the tenant's policies after the grants, records the refusal naming the policy", async () => {
    const { rt, invoked, calls } = runtime();
    const source = new StaticPolicySource();
    source.put(scope.tenantId, [{ id: 'no-writes-of-pii', text: 'forbid (principal, action == Weaver::Action::"tool.call", resource == Weaver::Tool::"fs/write")\nwhen { resource.labels.contains("pii") };' }]);
    const audit = new MemoryAuditRecorder();
    // Cleared for everything: the policy alone decides here (ceilings have their own case).
    const policed: ToolRuntime = { ...rt, ceilingOf: () => 'restricted', policy: new Authorizer(new PolicyEngine(), source, audit) };
    const tools = new StepTools(policed, { ...scope, classification: ['confidential', 'pii'] });
    await expect(tools.call('fs/write', { path: 'x' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: 'tool.call on Tool denied: forbidden by policy no-writes-of-pii' });
    expect(await tools.call('fs/read', { path: 'y' })).toMatchObject({ content: [{ text: 'fs/read #1' }] });
    expect(invoked).toEqual(['fs/read']);
    expect(calls.calls.map((c) => [c.tool, c.outcome, c.error])).toEqual([['fs/write', 'denied', 'policy: no-writes-of-pii'], ['fs/read', 'ok', undefined]]);
    expect(audit.events.map((e) => [e.principal.id, e.resource.id, e.decision, e.reasons])).toEqual([
      ['w/writer', 'fs/write', 'deny', ['no-writes-of-pii']],
      ['w/writer', 'fs/read', 'allow', ['weaver.baseline.agent']],
    ]);
    // Internal data may be written.
    expect(await new StepTools(policed, { ...scope, runId: '00000000-0000-4000-8000-000000000003', classification: ['internal'] }).call('fs/write', {})).toMatchObject({ content: [{ text: 'fs/write #2' }] });
  });

  it('noTools lists nothing and denies every call naming the agent', async () => {
    const tools = noTools()({ ...scope, grants: [] });
    expect(await tools.list()).toEqual([]);
    await expect(tools.call('fs/read', {})).rejects.toThrow('tool "fs/read" is not granted to agent "writer"');
  });
});
