import { Module } from '@nestjs/common';
import { AuditChainer, AuditLogAccess, CheckpointPublisher, KafkaAuditRecorder, loadAuditSigningKey, startCheckpointReplication, trustedPeerKeysOf } from '@weaver/audit';
import { connectServiceKafka, EventProducer, TopicNames, type BatchConsumer } from '@weaver/messaging';
import { type Logger, Metrics } from '@weaver/observability';
import { PINO_LOGGER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceLifecycle } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';

import { AUDIT_ACCESS, AuditGrpcController } from './audit.grpc-controller';
import type { TenancyConfig } from './tenancy.config';

interface AuditTrail {
  chainer: AuditChainer;
  producer: EventProducer;
  access: AuditLogAccess;
}
const AUDIT_TRAIL = Symbol('weaver.tenancy.audit-trail');

/** The audit trail inside tenancy, behind AUDIT_ENABLED: the chainer and the AuditService. */
@Module({
  controllers: [AuditGrpcController],
  providers: [
    {
      provide: AUDIT_TRAIL,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE, PINO_LOGGER, Metrics, ServiceLifecycle],
      // The chainer runs once the app is up and stops at drain, before the pool closes (an
      // unfinished batch is redelivered to the next chainer; its unsigned tail is signed on the way out).
      useFactory: async (config: TenancyConfig, ds: DataSource, logger: Logger, metrics: Metrics, lifecycle: ServiceLifecycle): Promise<AuditTrail | null> => {
        if (!config.AUDIT_ENABLED) return null;
        const signingKey = loadAuditSigningKey(config.AUDIT_SIGNING_KEY_FILE!);
        const kafka = await connectServiceKafka(config, 'tenancy', logger);
        const topics = new TopicNames(config.KAFKA_NAMESPACE);
        const producer = lifecycle.own('audit producer', new EventProducer(kafka), (p) => p.disconnect());
        await producer.connect();
        // Regions (docs/regions.md): this region's checkpoints go to its weaver.audit-checkpoints.v1; the peers' are verified and stored.
        const region = config.WEAVER_REGION;
        const checkpoints = region ? new CheckpointPublisher(producer, topics.auditCheckpoints, region, signingKey.publicKey, logger) : undefined;
        if (region) {
          // Registered before the chainer, so it starts first: it creates the checkpoint topic the chainer publishes to.
          let replication: BatchConsumer | undefined;
          const start = async (): Promise<void> => {
            replication = await startCheckpointReplication({ kafka, ds, names: topics, peers: config.WEAVER_REGION_PEERS, trusted: trustedPeerKeysOf(config.AUDIT_PEER_KEY_IDS), logger, metrics });
          };
          lifecycle.work('audit checkpoint replication', { start, stop: async () => replication?.stop() });
        }
        const chainer = lifecycle.work('audit chainer', new AuditChainer({ kafka, topics, ds, signingKey, checkpointEvery: config.AUDIT_CHECKPOINT_EVERY, checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS, logger, metrics, checkpoints }));
        return { chainer, producer, access: new AuditLogAccess(ds, new KafkaAuditRecorder(producer, topics), signingKey.publicKey) };
      },
    },
    { provide: AUDIT_ACCESS, inject: [AUDIT_TRAIL], useFactory: (trail: AuditTrail | null) => trail?.access ?? null },
  ],
})
export class AuditTrailModule {}
