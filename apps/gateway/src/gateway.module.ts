import { Module } from '@nestjs/common';
import { GRPC_SERVICES, tenancy } from '@weaver/contracts';
import type { PayloadCipher } from '@weaver/crypto';
import { DEFAULT_KEY_ROLES, PolicyEnforcementModule } from '@weaver/policy';
import { connectServiceKafka, EnvelopeSealer, EventProducer, TenantPlacements, TopicNames, type KafkaConnection } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { CAPABILITY_AUDIENCES, capabilityKeyring, CapabilityTokens } from '@weaver/publisher-core';
import { IntakeLimits, RunEventsHub, RunService, TriggerRelay, TriggerSender } from '@weaver/run-api';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, TriggerOutbox } from '@weaver/runs';
import { GrpcClientsModule, grpcClientToken, PINO_LOGGER, QuotaCache, tenantMetadata, unary, SERVICE_CIPHER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule, ServiceLifecycle, serviceCipherProvider } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';
import { ToolGrantStore } from '@weaver/toolkit';
import { AdminHttpController } from './admin.http-controller';
import { AdminToken } from './admin-token';
import { PiiPolicyHttpController } from './pii-policy.http-controller';
import { UsageHttpController } from './usage.http-controller';
import { ApiKeyResolver } from '@weaver/tenancy-core';
import type { GatewayConfig } from './gateway.config';
import { GatewayGrpcController } from './gateway.grpc-controller';
import { GatewayPolicyGuard } from './policy.guard';
import { PolicyHttpController } from './policy.http-controller';
import { GATEWAY_KAFKA } from './gateway.tokens';
import { RunStreams } from './run-streams';
import { CredentialThrottle } from '@weaver/tenancy-core';
import { ResultGrants } from './result-grants';
import { RunsHttpController } from './runs.http-controller';
import { AuditHttpController } from './audit.http-controller';
import { ConsoleAssets, CONSOLE_DIR } from './console-assets';
import { ConsoleHttpController } from './console.http-controller';
import { RunModelCallsHttpController } from './run-model-calls.http-controller';
import { RunsAdminHttpController } from './runs-admin.http-controller';
import { DeadLettersHttpController } from './dead-letters.http-controller';
import { RUNS_ADMIN_PROVIDERS } from './runs-admin.providers';
import { RunAdminGrpcController } from './run-admin.grpc-controller';
import { OpenApiHttpController } from './openapi.http-controller';
import { AdminGrpcController } from './admin/admin.grpc-controller';
import { OperationsAdminHttpController } from './admin/operations-admin.http-controller';
import { OperationsAdmin } from './admin/operations-admin';
import { TenantsAdminHttpController } from './admin/tenants-admin.http-controller';
import { TenantAdmin } from './admin/tenant-admin';

const { TenantTier } = tenancy;
const TRIGGER_PRODUCER = Symbol('gateway.trigger-producer');
const TRIGGER_OUTBOX = Symbol('gateway.trigger-outbox');

/**
 * A trigger send gives up after this many retries, so it settles (sent or failed) soon after
 * the client's deadline instead of retrying for as long as kafkajs would.
 */
const TRIGGER_SEND_RETRIES = 3;
/**
 * How long a sender holds a trigger's outbox entry: well past any send with that retry budget,
 * so a live send is never doubled; also how long a run waits for the relay when its gateway
 * died mid-send.
 */
const TRIGGER_LEASE_MS = 60_000;

const TENANCY = grpcClientToken(GRPC_SERVICES.tenancy);

/** The services the gateway calls; audit and policy are served by tenancy (same address, TENANCY_URL). */
const GATEWAY_CLIENTS = GrpcClientsModule.register<GatewayConfig>([
  { service: GRPC_SERVICES.tenancy, url: (c) => c.TENANCY_URL },
  { service: GRPC_SERVICES.registry, url: (c) => c.REGISTRY_URL },
  { service: GRPC_SERVICES.audit, url: (c) => c.TENANCY_URL },
  { service: GRPC_SERVICES.policy, url: (c) => c.TENANCY_URL },
  // PII policies (admin API); the gateway makes no model calls.
  { service: GRPC_SERVICES.router, url: (c) => c.ROUTER_URL },
]);

@Module({
  // Authorizer, GrpcPolicySource and the AUDIT_RECORDER: tenants' policies, decided in process, every decision audited.
  imports: [ServiceDatabaseModule.forRoot({ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS, applicationName: 'weaver-gateway' }), PolicyEnforcementModule.forRoot(), GATEWAY_CLIENTS],
  controllers: [RunsHttpController, AdminHttpController, PolicyHttpController, AuditHttpController, PiiPolicyHttpController, UsageHttpController, GatewayGrpcController, RunModelCallsHttpController, ConsoleHttpController, RunsAdminHttpController, DeadLettersHttpController, RunAdminGrpcController, OpenApiHttpController,
    // The admin API (issue 12 item 2): tenants, keys, budgets, agents — REST and gRPC AdminService.
    TenantsAdminHttpController, OperationsAdminHttpController, AdminGrpcController,
  ],
  providers: [
    {
      provide: GATEWAY_KAFKA,
      inject: [SERVICE_CONFIG, PINO_LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger): Promise<KafkaConnection> => connectServiceKafka(config, 'gateway', logger),
    },
    // This installation's topic and group names, made once from config and injected.
    { provide: TopicNames, inject: [SERVICE_CONFIG], useFactory: (config: GatewayConfig) => new TopicNames(config.KAFKA_NAMESPACE) },
    // Which names each tenant's events use (isolated-tier tenants have their own), cached.
    {
      provide: TenantPlacements,
      inject: [TopicNames, TENANCY],
      useFactory: (names: TopicNames, tenancyClient: tenancy.TenancyServiceClient) =>
        new TenantPlacements(names, async (tenantId) => {
          // The tenant travels as the call's tenant context (tenancy ignores the request field).
          const { tenant } = await unary(tenancyClient.getTenant({ tenantId }, tenantMetadata(tenantId)));
          return tenant?.tier === TenantTier.TENANT_TIER_ISOLATED ? 'isolated' : 'standard';
        }),
    },
    {
      provide: TRIGGER_PRODUCER,
      inject: [GATEWAY_KAFKA, ServiceLifecycle],
      useFactory: async (kafka: KafkaConnection, lifecycle: ServiceLifecycle) => {
        const producer = new EventProducer(kafka, undefined, { retries: TRIGGER_SEND_RETRIES });
        await producer.connect();
        return lifecycle.own('trigger producer', producer, (p) => p.disconnect());
      },
    },
    {
      provide: ApiKeyResolver,
      inject: [TENANCY, SERVICE_CONFIG, CredentialThrottle],
      useFactory: (tenancyClient: tenancy.TenancyServiceClient, config: GatewayConfig, throttle: CredentialThrottle) => new ApiKeyResolver(tenancyClient, { ttlMs: config.API_KEY_CACHE_TTL_MS, throttle, defaultRoles: DEFAULT_KEY_ROLES }),
    },
    { provide: AdminToken, inject: [SERVICE_CONFIG, CredentialThrottle], useFactory: (config: GatewayConfig, throttle: CredentialThrottle) => new AdminToken(config.GATEWAY_ADMIN_TOKEN, throttle) },
    GatewayPolicyGuard,
    {
      provide: CredentialThrottle,
      inject: [SERVICE_CONFIG],
      useFactory: (config: GatewayConfig) => new CredentialThrottle({ maxFailures: config.AUTH_FAILURE_LIMIT, windowMs: config.AUTH_FAILURE_WINDOW_MS, blockMs: config.AUTH_BLOCK_MS }),
    },
    // Admin tool grants (tools.tool_grants); the gateway writes them, runners read them (cached).
    { provide: ToolGrantStore, inject: [SERVICE_DATABASE], useFactory: (ds: DataSource) => new ToolGrantStore(ds, 0) },
    { provide: QuotaCache, inject: [TENANCY, SERVICE_CONFIG], useFactory: (tenancyClient: tenancy.TenancyServiceClient, config: GatewayConfig) => new QuotaCache(tenancyClient, config.QUOTA_CACHE_TTL_MS) },
    { provide: IntakeLimits, inject: [QuotaCache, SERVICE_CONFIG], useFactory: (cache: QuotaCache, config: GatewayConfig) => new IntakeLimits(cache.get, config.GATEWAY_REPLICAS) },
    // One cipher for the process (its key cache keeps intake free of key round trips): run
    // inputs are sealed before the intake statement, trigger payloads before the send.
    serviceCipherProvider,
    { provide: EnvelopeSealer, inject: [SERVICE_CIPHER], useFactory: (cipher: PayloadCipher) => new EnvelopeSealer(cipher) },
    { provide: TRIGGER_OUTBOX, inject: [SERVICE_DATABASE, SERVICE_CIPHER], useFactory: (ds: DataSource, cipher: PayloadCipher) => new TriggerOutbox(ds, { leaseMs: TRIGGER_LEASE_MS }, cipher) },
    {
      provide: TriggerSender,
      inject: [TRIGGER_OUTBOX, TRIGGER_PRODUCER, SERVICE_CONFIG, PINO_LOGGER, TenantPlacements, EnvelopeSealer, ServiceLifecycle],
      // Closed after the servers stopped: writes the queued trigger acknowledgements (before the producer closes).
      useFactory: (outbox: TriggerOutbox, producer: EventProducer, config: GatewayConfig, logger: Logger, placements: TenantPlacements, sealer: EnvelopeSealer, lifecycle: ServiceLifecycle) =>
        lifecycle.own('trigger sender', new TriggerSender(outbox, producer, { topicFor: async (tenantId) => (await placements.namesFor(tenantId)).triggers, sendTimeoutMs: config.TRIGGER_SEND_TIMEOUT_MS, retryAfterMs: config.TRIGGER_RESEND_INTERVAL_MS, logger, sealer }), (sender) => sender.close()),
    },
    {
      provide: TriggerRelay,
      inject: [TRIGGER_OUTBOX, TriggerSender, SERVICE_CONFIG, PINO_LOGGER, ServiceLifecycle],
      // Resends unsent triggers while the gateway runs; stopped at drain.
      useFactory: (outbox: TriggerOutbox, sender: TriggerSender, config: GatewayConfig, logger: Logger, lifecycle: ServiceLifecycle) =>
        lifecycle.work('trigger relay', new TriggerRelay(outbox, sender, { intervalMs: config.TRIGGER_RESEND_INTERVAL_MS, logger })),
    },
    {
      provide: RunService,
      inject: [SERVICE_DATABASE, TRIGGER_OUTBOX, TriggerSender, SERVICE_CIPHER],
      useFactory: (ds: DataSource, outbox: TriggerOutbox, sender: TriggerSender, cipher: PayloadCipher) => new RunService(new RunStore(ds, { cipher }), outbox, sender),
    },
    {
      provide: ResultGrants,
      inject: [SERVICE_CONFIG, RunService],
      useFactory: (config: GatewayConfig, runs: RunService) => {
        const keys = config.CAPABILITY_VERIFY_KEYS;
        // Verify-only: no signing key here (ttl and audience are the issuer's; unused by verify).
        const tokens = keys && new CapabilityTokens(capabilityKeyring(keys), { ttlSeconds: 1, audience: [CAPABILITY_AUDIENCES.gateway] });
        return new ResultGrants(tokens, runs);
      },
    },
    { provide: RunEventsHub, inject: [EnvelopeSealer], useFactory: (sealer: EnvelopeSealer) => new RunEventsHub(sealer) },
    RunStreams,
    // The web console's static files, read once at start (docs/console.md).
    { provide: ConsoleAssets, useFactory: () => new ConsoleAssets(CONSOLE_DIR) },
    ...RUNS_ADMIN_PROVIDERS,
    TenantAdmin,
    OperationsAdmin,
  ],
})
export class GatewayModule {}
