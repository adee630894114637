import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { openServiceDatabase } from '@weaver/persistence';
import { Readiness, SERVICE_CONFIG } from '@weaver/service-kit';
import { TenantDirectory, tenancySchema } from '@weaver/tenancy-core';
import type { DataSource } from 'typeorm';

import type { TenancyConfig } from './tenancy.config';
import { TenancyGrpcController } from './tenancy.grpc-controller';

const TENANCY_DB = Symbol('tenancy.db');

/** Closes the pool after the servers stopped taking calls. */
@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(TENANCY_DB) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

@Module({
  controllers: [TenancyGrpcController],
  providers: [
    {
      provide: TENANCY_DB,
      inject: [SERVICE_CONFIG, Readiness],
      // Runs before the servers listen, so migrations finish before the first call.
      useFactory: async (config: TenancyConfig, readiness: Readiness): Promise<DataSource> => {
        const ds = await openServiceDatabase({
          url: config.DATABASE_URL,
          ownerUrl: config.DATABASE_OWNER_URL,
          ...tenancySchema,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'weaver-tenancy',
        });
        readiness.register('postgres', async () => (await ds.query('SELECT 1 AS ok')).length === 1);
        return ds;
      },
    },
    {
      provide: TenantDirectory,
      inject: [TENANCY_DB, SERVICE_CONFIG],
      useFactory: (ds: DataSource, config: TenancyConfig) => new TenantDirectory(ds, { resolutionTtlMs: config.API_KEY_CACHE_TTL_MS }),
    },
    DatabaseCloser,
  ],
})
export class TenancyModule {}

