import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger, Metrics } from '@weaver/observability';
import { openServiceDatabase } from '@weaver/persistence';
import { AgentCatalog, AgentDiscovery, InstanceDirectory, RegistryMetrics, registrySchema, systemClock } from '@weaver/registry-core';
import { PINO_LOGGER, Readiness, SERVICE_CONFIG } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';

import { HealthSweepRunner } from './health-sweep.runner';
import type { RegistryConfig } from './registry.config';
import { RegistryGrpcController } from './registry.grpc-controller';

const REGISTRY_DB = Symbol('registry.db');

/** Closes the pool after the servers stopped taking calls. */
@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(REGISTRY_DB) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

@Module({
  controllers: [RegistryGrpcController],
  providers: [
    {
      provide: REGISTRY_DB,
      inject: [SERVICE_CONFIG, Readiness],
      // Runs before the servers listen, so migrations finish before the first call.
      useFactory: async (config: RegistryConfig, readiness: Readiness): Promise<DataSource> => {
        const ds = await openServiceDatabase({
          url: config.DATABASE_URL,
          ownerUrl: config.DATABASE_OWNER_URL,
          ...registrySchema,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'weaver-registry',
        });
        readiness.register('postgres', async () => (await ds.query('SELECT 1 AS ok')).length === 1);
        return ds;
      },
    },
    { provide: RegistryMetrics, inject: [Metrics], useFactory: (metrics: Metrics) => new RegistryMetrics(metrics) },
    {
      provide: AgentCatalog,
      inject: [REGISTRY_DB, RegistryMetrics],
      useFactory: (ds: DataSource, metrics: RegistryMetrics) => new AgentCatalog(ds, systemClock, metrics),
    },
    {
      provide: InstanceDirectory,
      inject: [REGISTRY_DB, AgentCatalog, SERVICE_CONFIG, RegistryMetrics, PINO_LOGGER],
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
    HealthSweepRunner,
    DatabaseCloser,
  ],
})
export class RegistryModule {}
