import { Module } from '@nestjs/common';
import { hostname } from 'node:os';
import { AgentHost, AgentMemoryService, StepDeltas, TenantGate, WorkflowCatalogue, WorkflowScheduler } from '@weaver/agent-runtime';
import { GRPC_SERVICES, type publisher, type router, type tenancy } from '@weaver/contracts';
import type { PayloadCipher } from '@weaver/crypto';
import { connectServiceKafka, EnvelopeSealer, EventProducer, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { Metrics, type Logger } from '@weaver/observability';
import { RegistryClient } from '@weaver/registry-core';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, ScheduleTickStore } from '@weaver/runs';
import { GRPC_SECURITY, GrpcClientsModule, grpcClientToken, PINO_LOGGER, SERVICE_CIPHER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule, ServiceLifecycle, serviceCipherProvider, type GrpcSecurity } from '@weaver/service-kit';
import { loadMcpServers, McpToolkit, ToolCallStore, ToolGrantStore } from '@weaver/toolkit';
import { Authorizer, PolicyEnforcementModule } from '@weaver/policy';
import type { DataSource } from 'typeorm';
import { AgentHostLifecycle, REGISTRY_PRESENCE } from './agent-host.lifecycle';
import type { AgentRunnerConfig } from './agent-runner.config';
import { publisherSink } from './publisher-result.sink';
import { RegistryPresence } from './registry-presence';
import { routerLlm } from './router-llm.client';
import { tenancyKeys } from './tenancy-keys.client';
import { loadWorkflows } from './workflow-loader';

const KAFKA = Symbol('agent-runner.kafka');
const TOOLKIT = Symbol('agent-runner.toolkit');
/** The producer of streamed LLM deltas (outside any transaction: best-effort progress, see StepDeltas). */
const DELTA_PRODUCER = Symbol('agent-runner.delta-producer');

/** The services a step calls: the router (model calls: long deadline), the publisher (results), tenancy (keys). */
const RUNNER_CLIENTS = GrpcClientsModule.register<AgentRunnerConfig>([
  { service: GRPC_SERVICES.router, url: (c) => c.ROUTER_URL, options: { deadlineMs: 120_000 } },
  { service: GRPC_SERVICES.publisher, url: (c) => c.PUBLISHER_URL },
  { service: GRPC_SERVICES.tenancy, url: (c) => c.TENANCY_URL },
]);

@Module({
  // No readiness probe on the database: under load the pool is busy with steps and a probe
  // would time out and take a working runner out; readiness is "consuming" (AgentHostLifecycle).
  imports: [ServiceDatabaseModule.forRoot({ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS, applicationName: 'weaver-agent-runner', probe: false }), PolicyEnforcementModule.forRoot(), RUNNER_CLIENTS],
  providers: [
    {
      provide: WorkflowCatalogue,
      inject: [SERVICE_CONFIG],
      useFactory: (config: AgentRunnerConfig) => new WorkflowCatalogue(loadWorkflows(config.WEAVER_WORKFLOWS)),
    },
    {
      provide: KAFKA,
      inject: [SERVICE_CONFIG, PINO_LOGGER],
      useFactory: (config: AgentRunnerConfig, logger: Logger): Promise<KafkaConnection> => connectServiceKafka(config, 'agent-runner', logger),
    },
    // This installation's topic and group names, made once from config and injected.
    {
      provide: TopicNames,
      inject: [SERVICE_CONFIG],
      useFactory: (config: AgentRunnerConfig) => {
        const base = new TopicNames(config.KAFKA_NAMESPACE);
        return config.WEAVER_ISOLATED_TENANT ? base.forTenant(config.WEAVER_ISOLATED_TENANT, 'isolated') : base;
      },
    },
    // One cipher for the process: its key cache keeps a step free of key round trips. Stores
    // seal step outputs, results, joins and memory; the sealer seals every Kafka payload.
    serviceCipherProvider,
    { provide: EnvelopeSealer, inject: [SERVICE_CIPHER], useFactory: (cipher: PayloadCipher) => new EnvelopeSealer(cipher) },
    {
      provide: DELTA_PRODUCER,
      inject: [KAFKA, ServiceLifecycle],
      useFactory: (kafka: KafkaConnection, lifecycle: ServiceLifecycle) => lifecycle.own('delta producer', new EventProducer(kafka, undefined, { retries: 2 }), (p) => p.disconnect()),
    },
    {
      provide: WorkflowScheduler,
      inject: [SERVICE_CONFIG, WorkflowCatalogue, SERVICE_DATABASE, KAFKA, PINO_LOGGER, Metrics, TopicNames, EnvelopeSealer],
      useFactory: (config: AgentRunnerConfig, catalogue: WorkflowCatalogue, ds: DataSource, kafka: KafkaConnection, logger: Logger, metrics: Metrics, names: TopicNames, sealer: EnvelopeSealer) =>
        new WorkflowScheduler({
          sealer,
          workflows: catalogue.workflows,
          claims: new ScheduleTickStore(ds),
          kafka,
          names,
          tenants: config.WEAVER_SCHEDULE_TENANTS,
          instanceId: config.INSTANCE_ID ?? `runner-${hostname()}`,
          logger,
          metrics,
        }),
    },
    // Agent memory (durable, shared by replicas). The vector index implementation is this one
    // factory: exact search until the measured ANN index lands (docs/benchmarks.md).
    {
      provide: AgentMemoryService,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, SERVICE_CIPHER, Metrics, PINO_LOGGER],
      useFactory: (config: AgentRunnerConfig, ds: DataSource, cipher: PayloadCipher, metrics: Metrics, logger: Logger) =>
        new AgentMemoryService({ ds, cipher, metrics, logger, maxLoadedIndexes: config.MEMORY_MAX_LOADED_INDEXES, sweepIntervalMs: config.MEMORY_SWEEP_INTERVAL_MS }),
    },
    {
      // The MCP servers, validated, connected and discovered once at start (a server down at
      // start is listed failed and retried; the runner starts anyway). Calls are recorded in
      // tools.tool_calls (batched, sealed); admin grants are read from tools.tool_grants, cached.
      // tool.call is decided by the tenant's policies (Authorizer: sets cached by version, in process).
      // Closed (stdio children, HTTP sessions) after the agents stopped.
      provide: TOOLKIT,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, SERVICE_CIPHER, PINO_LOGGER, Metrics, Authorizer, ServiceLifecycle],
      useFactory: async (config: AgentRunnerConfig, ds: DataSource, cipher: PayloadCipher, logger: Logger, metrics: Metrics, policy: Authorizer, lifecycle: ServiceLifecycle) =>
        lifecycle.own('MCP toolkit', await McpToolkit.start({
          servers: loadMcpServers(config.MCP_SERVERS_FILE, config.MCP_SERVERS),
          calls: new ToolCallStore(ds, cipher),
          grants: new ToolGrantStore(ds, config.TOOL_GRANTS_CACHE_TTL_MS),
          defaultTimeoutMs: config.MCP_TOOL_TIMEOUT_MS,
          policy,
          metrics,
          logger,
        }), (toolkit) => toolkit.close()),
    },
    {
      provide: AgentHost,
      inject: [SERVICE_CONFIG, WorkflowCatalogue, SERVICE_DATABASE, grpcClientToken(GRPC_SERVICES.router), grpcClientToken(GRPC_SERVICES.publisher), grpcClientToken(GRPC_SERVICES.tenancy), KAFKA, PINO_LOGGER, Metrics, TopicNames, SERVICE_CIPHER, EnvelopeSealer, DELTA_PRODUCER, TOOLKIT, AgentMemoryService],
      useFactory: (
        config: AgentRunnerConfig,
        catalogue: WorkflowCatalogue,
        ds: DataSource,
        routerClient: router.RouterServiceClient,
        publisherClient: publisher.PublisherServiceClient,
        tenancyClient: tenancy.TenancyServiceClient,
        kafka: KafkaConnection,
        logger: Logger,
        metrics: Metrics,
        names: TopicNames,
        cipher: PayloadCipher,
        sealer: EnvelopeSealer,
        deltaProducer: EventProducer,
        toolkit: McpToolkit,
        memory: AgentMemoryService,
      ) => {
        return new AgentHost({
          kafka,
          sealer,
          names,
          onlyTenant: config.WEAVER_ISOLATED_TENANT,
          catalogue,
          agents: config.WEAVER_AGENTS,
          dispatch: config.WEAVER_DISPATCH,
          patternRefreshMs: config.PATTERN_REFRESH_MS,
          ledger: new RunStore(ds, { cipher }),
          results: publisherSink(publisherClient),
          // Streamed text reaches the run's SSE stream as step.delta progress (sealed like every payload).
          llm: routerLlm(routerClient, new StepDeltas(async (records) => deltaProducer.send(await sealer.sealRecords(records)), names, logger)),
          memory,
          tools: toolkit.tools,
          tenants: new TenantGate(tenancyKeys(tenancyClient), { ttlMs: config.TENANT_CACHE_TTL_MS }),
          logger,
          metrics,
          retry: { maxAttempts: config.STEP_MAX_ATTEMPTS, baseMs: config.STEP_RETRY_BASE_MS, maxMs: 10_000 },
        });
      },
    },
    {
      provide: REGISTRY_PRESENCE,
      inject: [SERVICE_CONFIG, AgentHost, PINO_LOGGER, GRPC_SECURITY, TOOLKIT],
      useFactory: (config: AgentRunnerConfig, host: AgentHost, logger: Logger, security: GrpcSecurity, toolkit: McpToolkit) =>
        config.REGISTRY_URL ? new RegistryPresence(RegistryClient.connect(config.REGISTRY_URL, security), host, logger, config.INSTANCE_ID ?? `runner-${process.pid}`, () => toolkit.discovered()) : null,
    },
    AgentHostLifecycle,
  ],
})
export class AgentRunnerModule {}
