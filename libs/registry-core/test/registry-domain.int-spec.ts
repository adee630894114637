import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { FailedPreconditionError, NotFoundError } from '@weaver/errors';
import { Metrics } from '@weaver/observability';
import { openServiceDatabase } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import {
  AgentCatalog,
  AgentDiscovery,
  DefinitionVersionConflictError,
  IncompatibleSchemaError,
  InstanceDirectory,
  ManualClock,
  RegistryMetrics,
  registrySchema,
  StaleVersionError,
} from '../src';
import { article, indexer, inputOf, summarizer, summary } from './registry-fixtures';

const timing = { suspectAfterMs: 3_000, deadAfterMs: 10_000 };

describe('registry domain on PostgreSQL (the registry role, fake clock)', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  const clock = new ManualClock();
  const metrics = new Metrics('registry-test');
  let catalog: AgentCatalog;
  let directory: InstanceDirectory;
  let discovery: AgentDiscovery;

  const open = async () => {
    ds = await openServiceDatabase({ url: db.urlOf('registry'), ...registrySchema, poolSize: 3 });
    const registryMetrics = new RegistryMetrics(metrics);
    catalog = new AgentCatalog(ds, clock, registryMetrics);
    directory = new InstanceDirectory(ds, catalog, { timing, clock, metrics: registryMetrics });
    discovery = new AgentDiscovery(catalog, directory);
  };

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [registrySchema]);
    await open();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('versions definitions: retry-safe, immutable, forward-only, compatibility-checked', async () => {
    expect((await catalog.register(summarizer('1.0.0'))).created).toBe(true);
    expect((await catalog.register(summarizer('1.0.0'))).created).toBe(false);
    await expect(catalog.register({ ...summarizer('1.0.0'), description: 'changed' })).rejects.toThrow(DefinitionVersionConflictError);

    const v2 = await catalog.register(summarizer('1.1.0', article.extend({ lang: z.string().default('en') })));
    expect(v2.definition).toMatchObject({ name: 'summarizer', version: '1.1.0', capabilities: ['summarise'], maxConcurrency: 4 });

    const refused = catalog.register(summarizer('2.0.0', article.extend({ lang: z.number().default(0) })));
    await expect(refused).rejects.toThrow(IncompatibleSchemaError);
    await expect(refused).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      violations: [{ field: 'inputSchema.lang', rule: expect.stringMatching(/^type-narrowed \(BACKWARD against summarizer 1\.1\.0\): summarizer 1\.1\.0 input allows string/) }],
    });
    expect((await catalog.find('summarizer'))?.version).toBe('1.1.0');
    await expect(catalog.register(summarizer('1.0.5'))).rejects.toThrow(StaleVersionError);
    expect(await catalog.counts()).toEqual({ agents: 1, versions: 2 });
  });

  it('refuses an output that breaks a registered consumer (FORWARD)', async () => {
    await catalog.register(indexer);
    const refused = catalog.register(summarizer('1.2.0', article, summary.omit({ summary: true })));
    await expect(refused).rejects.toMatchObject({
      violations: [{ field: 'outputSchema.summary', rule: expect.stringMatching(/^required-added \(FORWARD against consumer indexer 1\.0\.0 \(article\.summarized\)\)/) }],
    });
    expect((await catalog.register(summarizer('1.2.0', article, summary.extend({ lang: z.string() })))).created).toBe(true);
  });

  it('discovers agents by capability and consumed event, and says what runs next', async () => {
    expect((await discovery.listAgents({ capability: 'summarise' })).map((a) => a.definition.name)).toEqual(['summarizer']);
    expect((await discovery.listAgents({ requiresEvent: 'article.summarized' })).map((a) => a.definition.name)).toEqual(['indexer']);
    expect((await discovery.listAgents()).map((a) => `${a.definition.name}@${a.definition.version}`)).toEqual(['indexer@1.0.0', 'summarizer@1.2.0']);
    expect((await discovery.whatRunsNext('article.summarized')).map((d) => d.name)).toEqual(['indexer']);
    expect(await discovery.whatRunsNext('nobody.reads.this')).toEqual([]);
  });

  it('moves silent instances healthy → suspect → dead, and back on a heartbeat', async () => {
    const a = await directory.register({ agent: 'summarizer', instanceId: 'sum-a', host: 'h1', pid: 11 });
    const b = await directory.register({ agent: 'summarizer', instanceId: 'sum-b', host: 'h2', pid: 12 });
    expect(a).toMatchObject({ health: 'healthy', agentVersion: '1.2.0' });
    const p = (partition: number) => ({ topic: 'weaver.evt.article.fetched.v1', partition });
    await directory.heartbeat({ instanceId: a.instanceId, agent: 'summarizer', inFlight: 2, partitions: [p(0), p(1)] });
    await directory.heartbeat({ instanceId: b.instanceId, inFlight: 0, partitions: [p(2)] });

    clock.advance(3_001);
    await directory.heartbeat({ instanceId: b.instanceId, partitions: [p(2)] });
    expect(await directory.sweep()).toEqual([{ instanceId: 'sum-a', agent: 'summarizer', from: 'healthy', to: 'suspect' }]);
    expect(await directory.heartbeat({ instanceId: a.instanceId, partitions: [p(0), p(1)] })).toEqual({ health: 'healthy', drain: false });

    clock.advance(10_001);
    await directory.heartbeat({ instanceId: b.instanceId, partitions: [p(2)] });
    expect((await directory.sweep()).map((c) => `${c.instanceId}:${c.from}->${c.to}`)).toEqual(['sum-a:healthy->dead']);
    expect(await directory.sweep()).toEqual([]);

    // The survivor's next heartbeat reports partition 0: the dead instance shows it as taken over.
    await directory.heartbeat({ instanceId: b.instanceId, partitions: [p(0), p(2)] });
    const dead = (await directory.list()).find((i) => i.instanceId === 'sum-a');
    expect(dead).toMatchObject({ health: 'dead', partitions: [p(1)], takenOver: [{ partition: p(0), byInstanceId: 'sum-b' }] });

    expect(await directory.heartbeat({ instanceId: a.instanceId, partitions: [p(1)] })).toEqual({ health: 'healthy', drain: false });
    expect(await directory.countByHealth()).toEqual({ healthy: 2 });
    const text = (await metrics.text()).body;
    expect(text).toMatch(/weaver_registry_instances\{health="healthy",service="registry-test"\} 2/);
    expect(text).toMatch(/weaver_registry_heartbeat_lag_seconds_count\{service="registry-test"\} [1-9]/);
  });

  it('delivers a drain on the next heartbeat, then deregisters', async () => {
    const drained = await directory.drain('sum-a');
    expect(drained).toMatchObject({ health: 'draining', drainRequested: true });
    expect(await directory.heartbeat({ instanceId: 'sum-a', inFlight: 1 })).toEqual({ health: 'draining', drain: true });
    await directory.deregister('sum-a');
    await directory.deregister('sum-a');
    expect((await directory.list()).map((i) => i.instanceId)).toEqual(['sum-b']);
    await expect(directory.heartbeat({ instanceId: 'sum-a' })).rejects.toThrow(FailedPreconditionError);
    await expect(directory.register({ agent: 'summarizer', instanceId: 'sum-a' })).rejects.toThrow(FailedPreconditionError);
    await expect(directory.heartbeat({ instanceId: 'nobody' })).rejects.toThrow(NotFoundError);
    await expect(directory.register({ agent: 'no-such-agent' })).rejects.toThrow('agent definition no-such-agent not found');
  });

  it('refuses bad requests naming the field and the rule', async () => {
    await expect(directory.heartbeat({ instanceId: 'sum-b', inFlight: -1, partitions: [{ topic: '', partition: 0 }] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      violations: [
        { field: 'inFlight', rule: 'must be >= 0' },
        { field: 'partitions.0.topic', rule: 'must be a Kafka topic name (1-249 of letters, digits, ".", "_", "-")' },
      ],
    });
    await expect(directory.heartbeat({ instanceId: 'sum-b', agent: 'indexer' })).rejects.toMatchObject({ violations: [{ field: 'agent', rule: 'must be "summarizer", the agent instance sum-b registered for' }] });
  });

  it('counts an agent requiring a pattern among what runs next and among the consumers a new output must satisfy', async () => {
    const auditor = { name: 'auditor', version: '1.0.0', requires: ['article.*'], publishes: [], inputSchema: inputOf(z.object({ url: z.string() })), outputSchema: true };
    expect((await catalog.register(auditor)).definition.requires).toEqual(['article.*']);
    expect((await discovery.whatRunsNext('article.summarized')).map((d) => d.name)).toEqual(['auditor', 'indexer']);
    expect((await discovery.whatRunsNext('article.fetched')).map((d) => d.name)).toEqual(['auditor', 'summarizer']);
    expect(await discovery.whatRunsNext('article.summary.v2')).toEqual([]); // * is one word
    // The summarizer publishes article.summarized: its output must now keep "url" for the auditor too.
    await expect(catalog.register(summarizer('1.3.0', article, summary.omit({ url: true })))).rejects.toMatchObject({
      violations: expect.arrayContaining([{ field: 'outputSchema.url', rule: expect.stringMatching(/FORWARD against consumer auditor 1\.0\.0 \(article\.summarized\)/) }]),
    });
    await expect(catalog.register({ ...auditor, name: 'sloppy', requires: ['article*', 'a..*'] })).rejects.toMatchObject({
      violations: [
        { field: 'definition.requires.0', rule: '"article*" segment 1 "article*": a wildcard (* = one word, # = any number of words) must be a whole segment' },
        { field: 'definition.requires.1', rule: '"a..*" has an empty segment (two dots, or a dot at an end)' },
      ],
    });
  });

  it('keeps definitions and instances across a restart', async () => {
    await ds.destroy();
    await open();
    expect((await catalog.find('summarizer'))?.version).toBe('1.2.0');
    expect(await catalog.find('summarizer', '1.0.0')).toMatchObject({ version: '1.0.0', inputSchema: expect.objectContaining({ type: 'object' }) });
    const [agent] = await discovery.listAgents({ capability: 'summarise' });
    expect(agent?.instances.map((i) => [i.instanceId, i.health])).toEqual([['sum-b', 'healthy']]);
  });
});
