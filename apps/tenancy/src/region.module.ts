import { Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { checkKafkaConnection, createKafka, EventProducer, kafkaSecurityOf, TopicNames, type BatchConsumer, type KafkaConnection } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { PINO_LOGGER, SERVICE_CONFIG, SERVICE_DATABASE } from '@weaver/service-kit';
import { DirectoryPublisher, startDirectoryReplication } from '@weaver/tenancy-core';
import type { DataSource } from 'typeorm';

import type { TenancyConfig } from './tenancy.config';

/** What a region-aware tenancy runs (docs/regions.md); null on a single-region installation (no WEAVER_REGION). */
export interface RegionServices {
  region: string;
  publisher: DirectoryPublisher;
  start(): Promise<BatchConsumer>;
  producer: EventProducer;
  kafka: KafkaConnection;
}
export const REGION_SERVICES = Symbol('weaver.tenancy.region');

@Injectable()
class RegionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private replication: BatchConsumer | undefined;

  constructor(@Inject(REGION_SERVICES) private readonly region: RegionServices | null) {}

  async onApplicationBootstrap(): Promise<void> {
    this.replication = await this.region?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.replication?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.region?.producer.disconnect();
  }
}

/** With WEAVER_REGION: publishes this region's directory and consumes the peers' (mirrored by MirrorMaker 2). */
@Module({
  providers: [
    {
      provide: REGION_SERVICES,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, PINO_LOGGER],
      useFactory: async (config: TenancyConfig, ds: DataSource, logger: Logger): Promise<RegionServices | null> => {
        const region = config.WEAVER_REGION;
        if (!region) return null;
        const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `weaver-tenancy-region-${process.pid}`, logger, security: kafkaSecurityOf(config) });
        await checkKafkaConnection(kafka);
        const names = new TopicNames(config.KAFKA_NAMESPACE);
        const producer = new EventProducer(kafka);
        return {
          region,
          kafka,
          producer,
          publisher: new DirectoryPublisher(ds, producer, names.directory, region),
          start: () => startDirectoryReplication({ kafka, ds, names, peers: config.WEAVER_REGION_PEERS, logger }),
        };
      },
    },
    RegionLifecycle,
  ],
  exports: [REGION_SERVICES],
})
export class RegionModule {}
