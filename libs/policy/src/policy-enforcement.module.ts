import { type DynamicModule, Module } from '@nestjs/common';
import { GRPC_SERVICES, type policy } from '@weaver/contracts';
import { z } from '@weaver/config';
import type { AuditRecorder } from '@weaver/governance';
import type { Logger } from '@weaver/observability';
import { GrpcClientsModule, grpcClientToken, PINO_LOGGER, SERVICE_CONFIG } from '@weaver/service-kit';
import { AUDIT_RECORDER, DebugLogAuditRecorder } from './audit-recorders';
import { Authorizer } from './authorizer';
import { GrpcPolicySource, policyCacheTtlMs } from './grpc-policy-source';
import { PolicyEngine } from './policy-engine';

/** The config of a service that enforces tenants' policies (router, agent-runner): where tenancy is, how long sets are cached. */
export const policyEnforcementConfigFields = {
  TENANCY_URL: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'),
  POLICY_CACHE_TTL_MS: policyCacheTtlMs,
};
type PolicyEnforcementConfig = { TENANCY_URL: string; POLICY_CACHE_TTL_MS: number };

/**
 * `Authorizer` as a provider for an enforcing service: tenants' sets from PolicyService (at
 * TENANCY_URL, mutual TLS as this service, which must be a GetPolicySet caller in
 * GRPC_ACCESS_RULES), cached by version for POLICY_CACHE_TTL_MS, decided in process.
 * AUDIT_RECORDER is the TEMPORARY debug-log recorder until the audit trail's replaces it.
 */
@Module({})
export class PolicyEnforcementModule {
  static forRoot(): DynamicModule {
    return {
      module: PolicyEnforcementModule,
      imports: [GrpcClientsModule.register<PolicyEnforcementConfig>([{ service: GRPC_SERVICES.policy, url: (c) => c.TENANCY_URL }])],
      providers: [
        // TEMPORARY (coordinator: replace with the audit trail's batching recorder).
        { provide: AUDIT_RECORDER, inject: [PINO_LOGGER], useFactory: (logger: Logger): AuditRecorder => new DebugLogAuditRecorder(logger) },
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
