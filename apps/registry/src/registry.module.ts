import { Module } from '@nestjs/common';
import { type Logger, Metrics } from '@weaver/observability';
import { AgentCatalog, AgentDiscovery, InstanceDirectory, RegistryMetrics, registrySchema, systemClock, ToolCatalog } from '@weaver/registry-core';
import { PINO_LOGGER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';

import { HealthSweepRunner } from './health-sweep.runner';
import type { RegistryConfig } from './registry.config';
import { RegistryGrpcController } from './registry.grpc-controller';

@Module({
  // Migrated before the servers listen, so migrations finish before the first call.
  imports: [ServiceDatabaseModule.forRoot({ ...registrySchema, applicationName: 'weaver-registry' })],
  controllers: [RegistryGrpcController],
  providers: [
    { provide: RegistryMetrics, inject: [Metrics], useFactory: (metrics: Metrics) => new RegistryMetrics(metrics) },
    {
      provide: AgentCatalog,
      inject: [SERVICE_DATABASE, RegistryMetrics],
      useFactory: (ds: DataSource, metrics: RegistryMetrics) => new AgentCatalog(ds, systemClock, metrics),
    },
    {
      provide: InstanceDirectory,
      inject: [SERVICE_DATABASE, AgentCatalog, SERVICE_CONFIG, RegistryMetrics, PINO_LOGGER],
      useFactory: (ds: DataSource, catalog: AgentCatalog, config: RegistryConfig, metrics: RegistryMetrics, logger: Logger) =>
        new InstanceDirectory(ds, catalog, {
          timing: { suspectAfterMs: config.INSTANCE_SUSPECT_AFTER_MS, deadAfterMs: config.INSTANCE_DEAD_AFTER_MS },
          metrics,
          logger,
        }),
    },
    {
      provide: AgentDiscovery,
      inject: [AgentCatalog, InstanceDirectory],
      useFactory: (catalog: AgentCatalog, directory: InstanceDirectory) => new AgentDiscovery(catalog, directory),
    },
    { provide: ToolCatalog, inject: [SERVICE_DATABASE], useFactory: (ds: DataSource) => new ToolCatalog(ds) },
    HealthSweepRunner,
  ],
})
export class RegistryModule {}
