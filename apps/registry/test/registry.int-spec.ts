import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { GRPC_SERVICES, registry } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import { RegistryClient, type AgentDefinitionInput } from '@weaver/registry-core';
import { grpcClient, mutualTlsAs, startServiceForTest, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { createTestDatabase, testTlsEnv, type TestDatabase } from '@weaver/testing';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { firstValueFrom } from 'rxjs';
import { z } from 'zod';

import { registryConfigSchema, type RegistryConfig } from '../src/registry.config';
import { RegistryModule } from '../src/registry.module';

const { InstanceHealth: Health } = registry;
const inputOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;
const outputOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output' }) as Record<string, unknown>;

const article = z.object({ url: z.string(), text: z.string() });
const summarizer = (version: string, input: z.ZodType): AgentDefinitionInput => ({
  name: 'summarizer',
  version,
  capabilities: ['summarise'],
  requires: ['article.fetched'],
  publishes: ['article.summarized'],
  inputSchema: inputOf(input),
  outputSchema: outputOf(z.object({ url: z.string(), summary: z.string() })),
});

/** Waits for a condition the registry reaches on its own (the sweeper), polling its public API. */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('registry service over real gRPC and PostgreSQL, real short health timeouts', () => {
  let db: TestDatabase & ServiceUrls;
  let svc: RunningService<RegistryConfig>;
  let client: RegistryClient;
  let operator: RegistryClient;
  const stops: Array<() => Promise<void>> = [];

  const start = async () => {
    svc = await startServiceForTest({
      service: 'registry',
      module: RegistryModule,
      configSchema: registryConfigSchema,
      grpc: [GRPC_SERVICES.registry],
      env: {
        DATABASE_URL: db.urlOf('registry'),
        DATABASE_POOL_SIZE: '3',
        INSTANCE_SUSPECT_AFTER_MS: '400',
        INSTANCE_DEAD_AFTER_MS: '1200',
        HEALTH_SWEEP_INTERVAL_MS: '50',
        ...testTlsEnv('registry'),
      },
    });
    // As the agent runner (registers, heartbeats); an operator drains.
    client = RegistryClient.connect(svc.grpcUrl!, mutualTlsAs('agent-runner', testTlsEnv('agent-runner')));
    operator = RegistryClient.connect(svc.grpcUrl!, mutualTlsAs('operator', testTlsEnv('operator')));
  };

  const instance = async (id: string) => (await client.listInstances('summarizer')).find((i) => i.instanceId === id);

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    await start();
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
    client?.close();
    operator?.close();
    await svc?.close();
    await db?.drop();
  });

  it('registers v1, accepts a compatible v2, refuses a breaking v3 naming agent, version, field and rule', async () => {
    expect(await client.registerAgent(summarizer('1.0.0', article))).toEqual({ name: 'summarizer', version: '1.0.0', created: true });
    expect(await client.registerAgent(summarizer('1.0.0', article))).toEqual({ name: 'summarizer', version: '1.0.0', created: false });
    expect(await client.registerAgent(summarizer('1.1.0', article.extend({ lang: z.string().optional() })))).toMatchObject({ created: true });

    const refused = client.registerAgent(summarizer('2.0.0', article.extend({ lang: z.string().optional(), tenant: z.string() })));
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(
      'agent "summarizer" version 2.0.0 refused, its schemas are incompatible: inputSchema.tenant: required-added (BACKWARD against summarizer 1.1.0)',
    );
    await expect(refused).rejects.toMatchObject({ violations: [{ field: 'inputSchema.tenant', rule: expect.stringMatching(/^required-added /) }] });

    const raw: GrpcClientHandle<registry.RegistryServiceClient> = grpcClient(GRPC_SERVICES.registry, svc.grpcUrl!, mutualTlsAs('agent-runner', testTlsEnv('agent-runner')));
    try {
      const bad = firstValueFrom(raw.client.registerAgent({ definition: { ...registry.AgentDefinition.fromPartial({ name: 'x', version: '1.0.0' }), inputSchemaJson: '{not json', outputSchemaJson: 'true' } }));
      await expect(bad).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: expect.stringContaining('definition.input_schema_json: must be a JSON Schema document as JSON text') } satisfies Partial<ServiceError>);
    } finally {
      raw.close();
    }

    const [agent] = await client.listAgents({ capability: 'summarise' });
    expect(agent?.definition).toMatchObject({ name: 'summarizer', version: '1.1.0' });
    expect((await client.whatRunsNext('article.fetched')).map((a) => `${a.name}@${a.version}`)).toEqual(['summarizer@1.1.0']);
  });

  it('marks a silent instance suspect then dead, shows its partitions taken over, and brings it back on a heartbeat', async () => {
    const silent = await client.registerInstance({ agent: 'summarizer', instanceId: 'sum-silent' });
    expect(silent).toEqual({ instanceId: 'sum-silent', agentVersion: '1.1.0' });
    const p = (partition: number) => ({ topic: 'weaver.evt.article.fetched.v1', partition });
    await client.heartbeat('sum-silent', { inFlight: 1, partitions: [p(0), p(1)] });
    const survivor = await client.registerInstance({ agent: 'summarizer', instanceId: 'sum-survivor' });
    let survivorPartitions = [p(2)];
    stops.push(client.startHeartbeats({ instanceId: survivor.instanceId, agent: 'summarizer' }, { intervalMs: 100, report: () => ({ inFlight: 0, partitions: survivorPartitions }), onDrain: async () => undefined }));

    await eventually(() => instance('sum-silent'), (i) => i?.health === Health.INSTANCE_HEALTH_UNHEALTHY);
    const dead = await eventually(() => instance('sum-silent'), (i) => i?.health === Health.INSTANCE_HEALTH_DEAD);
    expect(dead?.assignedPartitions).toEqual([p(0), p(1)]);

    survivorPartitions = [p(0), p(2)];
    const takenOver = await eventually(() => instance('sum-silent'), (i) => (i?.takenOver.length ?? 0) > 0);
    expect(takenOver).toMatchObject({ assignedPartitions: [p(1)], takenOver: [{ partition: p(0), byInstanceId: 'sum-survivor' }] });
    expect((await instance('sum-survivor'))?.health).toBe(Health.INSTANCE_HEALTH_HEALTHY);

    expect(await client.heartbeat('sum-silent', { inFlight: 0, partitions: [p(1)] })).toEqual({ health: 'healthy', drain: false });
    const metrics = await (await fetch(`${svc.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/weaver_registry_instances\{health="healthy",service="registry"\} 2/);
    expect(metrics).toMatch(/weaver_registry_agent_definitions\{kind="versions",service="registry"\} 2/);
    expect(metrics).toMatch(/weaver_registry_definitions_refused_total\{rule="required-added",service="registry"\} 1/);
    expect(metrics).toMatch(/weaver_registry_heartbeat_lag_seconds_count\{service="registry"\} [1-9]/);
  });

  it('delivers drain=true on the heartbeat; the instance drains and deregisters itself', async () => {
    const { instanceId } = await client.registerInstance({ agent: 'summarizer' });
    let drained!: () => void;
    const drainCalled = new Promise<void>((resolve) => (drained = resolve));
    stops.push(client.startHeartbeats({ instanceId }, { intervalMs: 50, report: () => ({ inFlight: 0, partitions: [] }), onDrain: async () => drained() }));

    const requested = await operator.drainInstance(instanceId);
    expect(requested).toMatchObject({ instanceId, health: Health.INSTANCE_HEALTH_DRAINING, drainRequested: true });
    await drainCalled;
    await eventually(() => instance(instanceId), (i) => i === undefined);
  });

  it('keeps definitions and instances across a restart of the service', async () => {
    client.close();
    operator.close();
    await svc.close();
    await start();
    expect(await client.registerAgent(summarizer('1.1.0', article.extend({ lang: z.string().optional() })))).toMatchObject({ created: false });
    const [agent] = await client.listAgents();
    expect(agent?.definition?.version).toBe('1.1.0');
    expect(agent?.instances.map((i) => i.instanceId).sort()).toEqual(['sum-silent', 'sum-survivor']);
  });

  it("stores a runner's discovered MCP servers, replaces them on its next report, and lists the latest per server", async () => {
    const server = (name: string, tools: string[], status = 'ready') => ({
      server: name, transport: 'stdio', status, error: status === 'failed' ? 'spawn ENOENT' : '', runnerId: '', reportedAt: '',
      tools: tools.map((t) => ({ name: `${name}/${t}`, description: t, inputSchemaJson: '{"type":"object"}' })),
      resources: [{ uri: 'file:///tmp/a', name: 'a', mimeType: 'text/plain' }], prompts: [{ name: 'p', description: '', arguments: ['x'] }],
    });
    expect(await client.reportTools('runner-a', [server('fs', ['read_file', 'write_file']), server('dead', [], 'failed')])).toBe(2);
    await client.reportTools('runner-a', [server('fs', ['read_file'])]); // the runner restarted with another config
    const listed = await operator.listTools();
    expect(listed.map((s) => [s.server, s.runnerId, s.status, s.tools.map((t) => t.name)])).toEqual([['fs', 'runner-a', 'ready', ['fs/read_file']]]);
    expect(listed[0]!.resources).toEqual([{ uri: 'file:///tmp/a', name: 'a', mimeType: 'text/plain' }]);
    expect(Date.parse(listed[0]!.reportedAt)).not.toBeNaN();
    await expect(client.reportTools('runner-a', [server('bad/name', [])])).rejects.toThrow('servers[0].server: must match [A-Za-z0-9][A-Za-z0-9_-]*');
    // Only runners report: an operator certificate is refused by the access rule.
    await expect(operator.reportTools('runner-x', [])).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
