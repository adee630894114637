import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { AgentHost, AgentMemoryService, StepDeltas, TenantGate, WorkflowCatalogue, WorkflowScheduler } from '@weaver/agent-runtime';
import { GRPC_SERVICES, type publisher, type router, type tenancy } from '@weaver/contracts';
import type { PayloadCipher } from '@weaver/crypto';
import { checkKafkaConnection, createKafka, EnvelopeSealer, EventProducer, kafkaSecurityOf, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { Metrics, type Logger } from '@weaver/observability';
import { RegistryClient } from '@weaver/registry-core';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, ScheduleTickStore } from '@weaver/runs';
import { GRPC_SECURITY, grpcClient, PINO_LOGGER, SERVICE_CIPHER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule, serviceCipherProvider, type GrpcSecurity } from '@weaver/service-kit';
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
const CLIENTS = Symbol('agent-runner.clients');
const TOOLKIT = Symbol('agent-runner.toolkit');
/** The producer of streamed LLM deltas (outside any transaction: best-effort progress, see StepDeltas). */
const DELTA_PRODUCER = Symbol('agent-runner.delta-producer');

interface Clients {
  router: router.RouterServiceClient;
  publisher: publisher.PublisherServiceClient;
  tenancy: tenancy.TenancyServiceClient;
  close(): void;
}

/** Closes the gRPC channels and the MCP servers (stdio children, HTTP sessions) after the agents stopped. */
@Injectable()
class ResourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(CLIENTS) private readonly clients: Clients,
    @Inject(TOOLKIT) private readonly toolkit: McpToolkit,
    @Inject(DELTA_PRODUCER) private readonly deltas: EventProducer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.clients.close();
    await this.toolkit.close();
    await this.deltas.disconnect();
  }
}

@Module({
  // No readiness probe on the database: under load the pool is busy with steps and a probe
  // would time out and take a working runner out; readiness is "consuming" (AgentHostLifecycle).
  imports: [ServiceDatabaseModule.forRoot({ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS, applicationName: 'weaver-agent-runner', probe: false }), PolicyEnforcementModule.forRoot()],
  providers: [
    {
      provide: CLIENTS,
      inject: [SERVICE_CONFIG, GRPC_SECURITY],
      useFactory: (config: AgentRunnerConfig, security: GrpcSecurity): Clients => {
        const r = grpcClient<router.RouterServiceClient>(GRPC_SERVICES.router, config.ROUTER_URL, security, { deadlineMs: 120_000 });
        const p = grpcClient<publisher.PublisherServiceClient>(GRPC_SERVICES.publisher, config.PUBLISHER_URL, security);
        const t = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, config.TENANCY_URL, security);
        return { router: r.client, publisher: p.client, tenancy: t.client, close: () => (r.close(), p.close(), t.close()) };
      },
    },
    {
      provide: WorkflowCatalogue,
      inject: [SERVICE_CONFIG],
      useFactory: (config: AgentRunnerConfig) => new WorkflowCatalogue(loadWorkflows(config.WEAVER_WORKFLOWS)),
    },
    {
      provide: KAFKA,
      inject: [SERVICE_CONFIG, PINO_LOGGER],
      // Checked once at start: wrong credentials or an untrusted broker certificate stop the service with that reason.
      useFactory: async (config: AgentRunnerConfig, logger: Logger): Promise<KafkaConnection> => {
        const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `weaver-agent-runner-${process.pid}`, logger, security: kafkaSecurityOf(config) });
        await checkKafkaConnection(kafka);
        return kafka;
      },
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
    { provide: DELTA_PRODUCER, inject: [KAFKA], useFactory: (kafka: KafkaConnection) => new EventProducer(kafka, undefined, { retries: 2 }) },
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
      provide: TOOLKIT,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, SERVICE_CIPHER, PINO_LOGGER, Metrics, Authorizer],
      useFactory: (config: AgentRunnerConfig, ds: DataSource, cipher: PayloadCipher, logger: Logger, metrics: Metrics, policy: Authorizer) =>
        McpToolkit.start({
          servers: loadMcpServers(config.MCP_SERVERS_FILE, config.MCP_SERVERS),
          calls: new ToolCallStore(ds, cipher),
          grants: new ToolGrantStore(ds, config.TOOL_GRANTS_CACHE_TTL_MS),
          defaultTimeoutMs: config.MCP_TOOL_TIMEOUT_MS,
          policy,
          metrics,
          logger,
        }),
    },
    {
      provide: AgentHost,
      inject: [SERVICE_CONFIG, WorkflowCatalogue, SERVICE_DATABASE, CLIENTS, KAFKA, PINO_LOGGER, Metrics, TopicNames, SERVICE_CIPHER, EnvelopeSealer, DELTA_PRODUCER, TOOLKIT, AgentMemoryService],
      useFactory: (
        config: AgentRunnerConfig,
        catalogue: WorkflowCatalogue,
        ds: DataSource,
        clients: Clients,
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
          ledger: new RunStore(ds, { cipher }),
          results: publisherSink(clients.publisher),
          // Streamed text reaches the run's SSE stream as step.delta progress (sealed like every payload).
          llm: routerLlm(clients.router, new StepDeltas(async (records) => deltaProducer.send(await sealer.sealRecords(records)), names, logger)),
          memory,
          tools: toolkit.tools,
          tenants: new TenantGate(tenancyKeys(clients.tenancy), { ttlMs: config.TENANT_CACHE_TTL_MS }),
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
    ResourceCloser,
  ],
})
export class AgentRunnerModule {}
