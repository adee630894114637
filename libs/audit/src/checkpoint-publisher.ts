import type { EventProducer } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import type { AuditPublicKey } from './audit-signing-key';
import type { SignedCheckpoint } from './checkpoint';
import { checkpointRecordsOf } from './checkpoint-record';

/**
 * Publishes the checkpoints this region signed to its `weaver.audit-checkpoints.v1`, from where
 * MirrorMaker 2 copies them to the peers (docs/regions.md). Called by the chainer after the
 * transaction that wrote them has committed, once per chained batch (or timed sweep) with all of
 * its checkpoints: one acked send, whatever the batch size, and none for batches that signed
 * nothing. A failed send is logged, not retried: the checkpoint is safe in PostgreSQL, and the
 * tenant's next checkpoint (which covers everything before it) crosses in its place.
 */
export class CheckpointPublisher {
  constructor(
    private readonly producer: EventProducer,
    private readonly topic: string,
    private readonly region: string,
    private readonly publicKey: AuditPublicKey,
    private readonly logger: Logger,
  ) {}

  async publish(checkpoints: readonly SignedCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    try {
      await this.producer.send(checkpointRecordsOf(checkpoints, this.topic, this.region, this.publicKey));
    } catch (error) {
      this.logger.warn({ topic: this.topic, checkpoints: checkpoints.length, err: String(error) }, 'audit checkpoints not published to the peers; the next checkpoint of each tenant will be');
    }
  }
}
