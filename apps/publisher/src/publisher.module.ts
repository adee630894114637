import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { openServiceDatabase } from '@weaver/persistence';
import { CapabilityTokens, ResultPublisher, publisherSchema, type ResultStore } from '@weaver/publisher-core';
import { Readiness, SERVICE_CONFIG } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';

import type { PublisherConfig } from './publisher.config';
import { PublisherGrpcController } from './publisher.grpc-controller';
import { createResultStore } from './result-store.factory';

const PUBLISHER_DB = Symbol('publisher.db');
const RESULT_STORE = Symbol('publisher.result-store');

/** Closes the pool and the S3 client after the servers stopped taking calls. */
@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(PUBLISHER_DB) private readonly ds: DataSource,
    @Inject(RESULT_STORE) private readonly store: ResultStore & { destroy?(): void },
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.store.destroy?.();
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

@Module({
  controllers: [PublisherGrpcController],
  providers: [
    {
      provide: PUBLISHER_DB,
      inject: [SERVICE_CONFIG, Readiness],
      // Runs before the servers listen, so migrations finish before the first call.
      useFactory: async (config: PublisherConfig, readiness: Readiness): Promise<DataSource> => {
        const ds = await openServiceDatabase({
          url: config.DATABASE_URL,
          ownerUrl: config.DATABASE_OWNER_URL,
          ...publisherSchema,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'weaver-publisher',
        });
        readiness.register('postgres', async () => (await ds.query('SELECT 1 AS ok')).length === 1);
        return ds;
      },
    },
    {
      provide: RESULT_STORE,
      inject: [SERVICE_CONFIG, Readiness],
      useFactory: async (config: PublisherConfig, readiness: Readiness) => {
        const store = await createResultStore(config);
        readiness.register('result-store', () => store.check());
        return store;
      },
    },
    {
      provide: ResultPublisher,
      inject: [PUBLISHER_DB, RESULT_STORE, SERVICE_CONFIG],
      useFactory: (ds: DataSource, store: ResultStore, config: PublisherConfig) =>
        new ResultPublisher(ds, store, new CapabilityTokens(config.CAPABILITY_TOKEN_SECRET, config.CAPABILITY_TOKEN_TTL_SECONDS), {
          maxBytes: config.MAX_RESULT_BYTES,
        }),
    },
    ConnectionsCloser,
  ],
})
export class PublisherModule {}
