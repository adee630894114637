import { type DynamicModule, Module } from '@nestjs/common';
import { GRPC_SERVICES, type tenancy } from '@weaver/contracts';
import { z } from '@weaver/config';
import { GrpcClientsModule, grpcClientToken } from './grpc-clients.module';
import { QuotaCache, quotaCacheTtlMs } from './quota-cache';
import { SERVICE_CONFIG } from './service-config';

/** The config a service that enforces tenants' quotas reads (router, publisher): where tenancy is, how long quotas are cached. */
export const tenantQuotaConfigFields = {
  TENANCY_URL: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'),
  QUOTA_CACHE_TTL_MS: quotaCacheTtlMs,
};
type TenantQuotaConfig = { TENANCY_URL: string; QUOTA_CACHE_TTL_MS: number };

/**
 * `QuotaCache` as a provider: tenancy's GetQuotas over a client with this service's GRPC
 * security (mutual TLS as itself; the service must be an allowed caller of GetQuotas in
 * GRPC_ACCESS_RULES), cached for QUOTA_CACHE_TTL_MS. The channel closes at shutdown and is
 * exported for the service's other tenancy calls.
 */
@Module({})
export class TenantQuotasModule {
  static forRoot(): DynamicModule {
    const clients = GrpcClientsModule.register<TenantQuotaConfig>([{ service: GRPC_SERVICES.tenancy, url: (c) => c.TENANCY_URL }]);
    return {
      module: TenantQuotasModule,
      imports: [clients],
      providers: [
        {
          provide: QuotaCache,
          inject: [grpcClientToken(GRPC_SERVICES.tenancy), SERVICE_CONFIG],
          useFactory: (client: tenancy.TenancyServiceClient, config: TenantQuotaConfig) => new QuotaCache(client, config.QUOTA_CACHE_TTL_MS),
        },
      ],
      // The tenancy client too (grpcClientToken(GRPC_SERVICES.tenancy)): one channel for the service's other tenancy calls (the router's key resolution).
      exports: [QuotaCache, clients],
    };
  }
}
