import { Module } from '@nestjs/common';
import type { Logger } from '@weaver/observability';
import { PINO_LOGGER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule } from '@weaver/service-kit';
import { QuotaStore, quotaDefaultsOf, TenantDirectory, TenantLifecycle, tenancySchema, TriggerKeyStore } from '@weaver/tenancy-core';
import { PolicyStore } from '@weaver/policy';
import type { DataSource } from 'typeorm';

import { AuditTrailModule } from './audit-trail.module';
import { REGION_SERVICES, RegionModule, type RegionServices } from './region.module';
import type { TenancyConfig } from './tenancy.config';
import { PolicyGrpcController } from './policy.grpc-controller';
import { TenancyGrpcController } from './tenancy.grpc-controller';

@Module({
  imports: [ServiceDatabaseModule.forRoot({ ...tenancySchema, applicationName: 'weaver-tenancy' }), AuditTrailModule, RegionModule],
  controllers: [TenancyGrpcController, PolicyGrpcController],
  providers: [
    {
      provide: TenantDirectory,
      inject: [SERVICE_DATABASE, SERVICE_CONFIG, REGION_SERVICES, PINO_LOGGER],
      useFactory: (ds: DataSource, config: TenancyConfig, region: RegionServices | null, logger: Logger) =>
        new TenantDirectory(ds, {
          resolutionTtlMs: config.API_KEY_CACHE_TTL_MS,
          ...(region && {
            region: region.region,
            // The change is committed; a failed publish must not fail the call (a retry would make a second tenant). The tenant's next change sends it again.
            onChange: (tenantId: string) => region.publisher.publish(tenantId).then(() => undefined, (err: unknown) => logger.warn({ tenantId, err: String(err) }, 'directory record not published')),
          }),
        }),
    },
    // Tenants' Cedar policies (schema policy), PolicyService.
    { provide: PolicyStore, inject: [SERVICE_DATABASE], useFactory: (ds: DataSource) => new PolicyStore(ds) },
    // The admin API's tenant list and state changes (suspend, resume, delete → erasure request).
    { provide: TenantLifecycle, inject: [SERVICE_DATABASE, TenantDirectory], useFactory: (ds: DataSource, directory: TenantDirectory) => new TenantLifecycle(ds, directory) },
    { provide: TriggerKeyStore, inject: [SERVICE_DATABASE], useFactory: (ds: DataSource) => new TriggerKeyStore(ds) },
    {
      provide: QuotaStore,
      inject: [SERVICE_DATABASE, SERVICE_CONFIG],
      useFactory: (ds: DataSource, config: TenancyConfig) => new QuotaStore(ds, quotaDefaultsOf(config)),
    },
  ],
})
export class TenancyModule {}

