import { Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditChainer, AuditLogAccess, CheckpointPublisher, KafkaAuditRecorder, loadAuditSigningKey, startCheckpointReplication, trustedPeerKeysOf } from '@weaver/audit';
import { checkKafkaConnection, createKafka, EventProducer, kafkaSecurityOf, TopicNames, type BatchConsumer } from '@weaver/messaging';
import { type Logger, Metrics } from '@weaver/observability';
import { PINO_LOGGER, SERVICE_CONFIG, SERVICE_DATABASE } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';

import { AUDIT_ACCESS, AuditGrpcController } from './audit.grpc-controller';
import type { TenancyConfig } from './tenancy.config';

interface AuditTrail {
  chainer: AuditChainer;
  producer: EventProducer;
  access: AuditLogAccess;
  /** With WEAVER_REGION: creates the checkpoint topics; with peers, consumes their mirrored checkpoints into audit.remote_checkpoints. */
  startReplication?: () => Promise<BatchConsumer>;
}
const AUDIT_TRAIL = Symbol('weaver.tenancy.audit-trail');

/**
 * Starts the chainer once the app is up and stops it before the pool closes (an unfinished
 * batch is redelivered to the next chainer; its unsigned tail is signed on the way out).
 */
@Injectable()
class AuditTrailLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private replication: BatchConsumer | undefined;

  constructor(@Inject(AUDIT_TRAIL) private readonly trail: AuditTrail | null) {}

  async onApplicationBootstrap(): Promise<void> {
    // First: it creates this region's checkpoint topic, which the chainer publishes to.
    this.replication = await this.trail?.startReplication?.();
    await this.trail?.chainer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.replication?.stop();
    await this.trail?.chainer.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.trail?.producer.disconnect();
  }
}

/** The audit trail inside tenancy, behind AUDIT_ENABLED: the chainer and the AuditService. */
@Module({
  controllers: [AuditGrpcController],
  providers: [
    {
      provide: AUDIT_TRAIL,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, PINO_LOGGER, Metrics],
      useFactory: async (config: TenancyConfig, ds: DataSource, logger: Logger, metrics: Metrics): Promise<AuditTrail | null> => {
        if (!config.AUDIT_ENABLED) return null;
        const signingKey = loadAuditSigningKey(config.AUDIT_SIGNING_KEY_FILE!);
        const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `weaver-tenancy-${process.pid}`, logger, security: kafkaSecurityOf(config) });
        await checkKafkaConnection(kafka);
        const topics = new TopicNames(config.KAFKA_NAMESPACE);
        const producer = new EventProducer(kafka);
        await producer.connect();
        // Regions (docs/regions.md): this region's checkpoints go to its weaver.audit-checkpoints.v1; the peers' are verified and stored.
        const region = config.WEAVER_REGION;
        const checkpoints = region ? new CheckpointPublisher(producer, topics.auditCheckpoints, region, signingKey.publicKey, logger) : undefined;
        const startReplication = region ? () => startCheckpointReplication({ kafka, ds, names: topics, peers: config.WEAVER_REGION_PEERS, trusted: trustedPeerKeysOf(config.AUDIT_PEER_KEY_IDS), logger, metrics }) : undefined;
        const chainer = new AuditChainer({ kafka, topics, ds, signingKey, checkpointEvery: config.AUDIT_CHECKPOINT_EVERY, checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS, logger, metrics, checkpoints });
        return { chainer, producer, access: new AuditLogAccess(ds, new KafkaAuditRecorder(producer, topics), signingKey.publicKey), startReplication };
      },
    },
    { provide: AUDIT_ACCESS, inject: [AUDIT_TRAIL], useFactory: (trail: AuditTrail | null) => trail?.access ?? null },
    AuditTrailLifecycle,
  ],
})
export class AuditTrailModule {}
