import { type DynamicModule, Module } from '@nestjs/common';
import { connectAuditRecorder } from '@weaver/audit';
import { GRPC_SERVICES, type policy } from '@weaver/contracts';
import { z } from '@weaver/config';
import type { AuditRecorder } from '@weaver/governance';
import type { Logger } from '@weaver/observability';
import { GrpcClientsModule, grpcClientToken, PINO_LOGGER, SERVICE_CONFIG, ServiceLifecycle } from '@weaver/service-kit';
import { AUDIT_RECORDER, DebugLogAuditRecorder } from './audit-recorders';
import { Authorizer } from './authorizer';
import { GrpcPolicySource, policyCacheTtlMs } from './grpc-policy-source';
import { PolicyEngine } from './policy-engine';

/** Where an enforcing service records its decisions (see policyEnforcementConfigFields). */
export const auditRecorderMode = z.enum(['kafka', 'log'], { error: 'must be "kafka" or "log"' }).default('kafka');

/**
 * The config of a service that enforces tenants' policies (gateway, router, agent-runner):
 * where tenancy is, how long sets are cached, and where decisions are recorded — `kafka` (the
 * audit trail: `weaver.audit.v1`, with the service's KAFKA_* settings) or `log` (debug lines
 * only: for tests of a service alone; nothing is kept).
 */
export const policyEnforcementConfigFields = {
  TENANCY_URL: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'),
  POLICY_CACHE_TTL_MS: policyCacheTtlMs,
  AUDIT_RECORDER: auditRecorderMode,
};
type PolicyEnforcementConfig = { TENANCY_URL: string; POLICY_CACHE_TTL_MS: number; AUDIT_RECORDER: 'kafka' | 'log'; SERVICE_NAME?: string } & Parameters<typeof connectAuditRecorder>[0];

/**
 * `Authorizer` as a provider for an enforcing service: tenants' sets from PolicyService (at
 * TENANCY_URL, mutual TLS as this service, which must be a GetPolicySet caller in
 * GRPC_ACCESS_RULES), cached by version for POLICY_CACHE_TTL_MS, decided in process; every
 * decision handed to AUDIT_RECORDER (AUDIT_RECORDER=kafka: the audit trail).
 */
@Module({})
export class PolicyEnforcementModule {
  static forRoot(): DynamicModule {
    return {
      module: PolicyEnforcementModule,
      imports: [GrpcClientsModule.register<PolicyEnforcementConfig>([{ service: GRPC_SERVICES.policy, url: (c) => c.TENANCY_URL }])],
      providers: [
        {
          provide: AUDIT_RECORDER,
          inject: [SERVICE_CONFIG, PINO_LOGGER, ServiceLifecycle],
          // Its producer closes when the service stops (after the last decision it records).
          useFactory: async (config: PolicyEnforcementConfig, logger: Logger, lifecycle: ServiceLifecycle): Promise<AuditRecorder> => {
            const recorder: AuditRecorder & { close?: () => Promise<void> } = config.AUDIT_RECORDER === 'log' ? new DebugLogAuditRecorder(logger) : await connectAuditRecorder(config, 'policy', logger);
            return lifecycle.own('audit recorder', recorder, (r) => r.close?.());
          },
        },
        {
          provide: GrpcPolicySource,
          inject: [grpcClientToken(GRPC_SERVICES.policy), SERVICE_CONFIG],
          useFactory: (client: policy.PolicyServiceClient, config: PolicyEnforcementConfig) => new GrpcPolicySource(client, config.POLICY_CACHE_TTL_MS),
        },
        {
          provide: Authorizer,
          inject: [GrpcPolicySource, AUDIT_RECORDER, PINO_LOGGER],
          useFactory: (source: GrpcPolicySource, recorder: AuditRecorder, logger: Logger) =>
            new Authorizer(new PolicyEngine(), source, recorder, (err) => logger.warn({ err }, 'policy refresh or audit hand-over failed')),
        },
      ],
      exports: [Authorizer, AUDIT_RECORDER, GrpcPolicySource],
    };
  }
}
