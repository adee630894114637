import { Module } from '@nestjs/common';
import { capabilityKeyring, CapabilityTokens, createResultStore, ResultPublisher, publisherSchema, type ResultStore } from '@weaver/publisher-core';
import type { PayloadCipher } from '@weaver/crypto';
import { QuotaCache, Readiness, SERVICE_CIPHER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule, ServiceLifecycle, serviceCipherProvider, TenantQuotasModule } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';

import type { PublisherConfig } from './publisher.config';
import { PublisherGrpcController } from './publisher.grpc-controller';

const RESULT_STORE = Symbol('publisher.result-store');

@Module({
  imports: [ServiceDatabaseModule.forRoot({ ...publisherSchema, applicationName: 'weaver-publisher' }), TenantQuotasModule.forRoot()],
  controllers: [PublisherGrpcController],
  providers: [
    {
      provide: RESULT_STORE,
      inject: [SERVICE_CONFIG, Readiness, ServiceLifecycle],
      // The S3 client is closed after the servers stopped taking calls.
      useFactory: async (config: PublisherConfig, readiness: Readiness, lifecycle: ServiceLifecycle) => {
        const store: ResultStore & { destroy?(): void } = await createResultStore(config);
        readiness.register('result-store', () => store.check());
        return lifecycle.own('result store', store, (s) => s.destroy?.());
      },
    },
    serviceCipherProvider,
    {
      provide: ResultPublisher,
      inject: [SERVICE_DATABASE, RESULT_STORE, SERVICE_CONFIG, SERVICE_CIPHER, QuotaCache],
      // Objects are sealed before the store writes them (filesystem or S3): neither holds a result in clear.
      // The stored_bytes quota comes from tenancy through the cache.
      useFactory: (ds: DataSource, store: ResultStore, config: PublisherConfig, cipher: PayloadCipher, quotas: QuotaCache) =>
        new ResultPublisher(
          ds,
          store,
          new CapabilityTokens(capabilityKeyring(config.CAPABILITY_VERIFY_KEYS, config.CAPABILITY_SIGNING_KEY), {
            ttlSeconds: config.CAPABILITY_TOKEN_TTL_SECONDS,
            audience: config.CAPABILITY_TOKEN_AUDIENCE,
          }),
          { maxBytes: config.MAX_RESULT_BYTES, cipher, quotas: quotas.get },
        ),
    },
  ],
})
export class PublisherModule {}
