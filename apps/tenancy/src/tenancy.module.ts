import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule } from '@weaver/service-kit';
import { QuotaStore, quotaDefaultsOf, TenantDirectory, tenancySchema, TriggerKeyStore } from '@weaver/tenancy-core';
import { PolicyStore } from '@weaver/policy';
import type { DataSource } from 'typeorm';

import { AuditTrailModule } from './audit-trail.module';
import type { TenancyConfig } from './tenancy.config';
import { PolicyGrpcController } from './policy.grpc-controller';
import { TenancyGrpcController } from './tenancy.grpc-controller';

@Module({
  imports: [ServiceDatabaseModule.forRoot({ ...tenancySchema, applicationName: 'weaver-tenancy' }), AuditTrailModule],
  controllers: [TenancyGrpcController, PolicyGrpcController],
  providers: [
    {
      provide: TenantDirectory,
      inject: [SERVICE_DATABASE, SERVICE_CONFIG],
      useFactory: (ds: DataSource, config: TenancyConfig) => new TenantDirectory(ds, { resolutionTtlMs: config.API_KEY_CACHE_TTL_MS }),
    },
    // Tenants' Cedar policies (schema policy), PolicyService.
    { provide: PolicyStore, inject: [SERVICE_DATABASE], useFactory: (ds: DataSource) => new PolicyStore(ds) },
    { provide: TriggerKeyStore, inject: [SERVICE_DATABASE], useFactory: (ds: DataSource) => new TriggerKeyStore(ds) },
    {
      provide: QuotaStore,
      inject: [SERVICE_DATABASE, SERVICE_CONFIG],
      useFactory: (ds: DataSource, config: TenancyConfig) => new QuotaStore(ds, quotaDefaultsOf(config)),
    },
  ],
})
export class TenancyModule {}

