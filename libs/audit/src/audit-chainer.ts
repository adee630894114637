import type { DataSource } from 'typeorm';
import type { AuditEvent } from '@weaver/governance';
import { AUDIT_CHAINER_GROUP, BatchConsumer, type InboundRecord, type KafkaConnection, type TopicNames } from '@weaver/messaging';
import type { Logger, Metrics } from '@weaver/observability';
import { backoffMs } from '@weaver/resilience';
import { auditEventOfRecord } from './audit-records';
import type { AuditSigningKey } from './audit-signing-key';
import { AuditLogWriter } from './audit-log-writer';
import type { CheckpointPublisher } from './checkpoint-publisher';
import type { SignedCheckpoint } from './checkpoint';

export interface AuditChainerOptions {
  kafka: KafkaConnection;
  topics: TopicNames;
  /** The tenancy service's DataSource (role weaver_tenancy: INSERT and SELECT on schema audit). */
  ds: DataSource;
  signingKey: AuditSigningKey;
  checkpointEvery: number;
  checkpointIntervalMs: number;
  logger: Logger;
  metrics: Metrics;
  /** Consumer group base name (default AUDIT_CHAINER_GROUP of @weaver/messaging: one per installation, so a tenant's partition has one writer at a time); namespaced by `topics`. */
  group?: string;
  /** With regions (docs/regions.md): signed checkpoints go to the peers, once per batch after it commits. */
  checkpoints?: CheckpointPublisher;
}


/**
 * Reads `weaver.audit.v1` (read committed) and appends each fetched batch to the tenants' chains
 * in one PostgreSQL transaction; the batch's offsets are committed after PostgreSQL has
 * committed (BatchConsumer), and a redelivered event is dropped by its id, so every event is
 * chained exactly once. Checkpoints: inline once `checkpointEvery` entries are unsigned, and
 * every `checkpointIntervalMs` for tenants with unsigned entries.
 */
export class AuditChainer {
  readonly writer: AuditLogWriter;
  private readonly consumer: BatchConsumer;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private readonly appended;
  private readonly refused;
  private recordsHandled = 0;
  private stopping = false;
  /** Resolves once the consumer has joined (or start gave up because of stop()). */
  started: Promise<void> = Promise.resolve();

  constructor(private readonly opts: AuditChainerOptions) {
    this.writer = new AuditLogWriter(opts.ds, { signingKey: opts.signingKey, checkpointEvery: opts.checkpointEvery });
    this.appended = opts.metrics.counter('weaver_audit_entries_appended_total', 'Audit events appended to a tenant chain');
    this.refused = opts.metrics.counter('weaver_audit_records_refused_total', 'weaver.audit.v1 records that are not valid audit events (logged and skipped)');
    this.consumer = new BatchConsumer({ kafka: opts.kafka, group: opts.topics.group(opts.group ?? AUDIT_CHAINER_GROUP), topics: [opts.topics.audit], logger: opts.logger, handler: (records) => this.onBatch(records) });
  }

  /** Records of the batches handled so far (valid or refused), counted before their offsets commit: how far this chainer has read. */
  get handled(): number {
    return this.recordsHandled;
  }

  /**
   * Starts consuming in the background: the audit topic may not exist yet when tenancy starts
   * (the agent-runner provisions the platform topics), so joining is retried with backoff
   * instead of failing the service; `started` resolves once the consumer runs.
   */
  async start(): Promise<void> {
    this.stopping = false;
    this.started = this.join();
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.checkpointUnsigned());
    }, this.opts.checkpointIntervalMs);
    this.timer.unref();
    this.opts.logger.info({ topic: this.opts.topics.audit, keyId: this.opts.signingKey.keyId }, 'audit chainer started');
  }

  private async join(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.consumer.start();
        return;
      } catch (error) {
        this.opts.logger.warn({ topic: this.opts.topics.audit, attempt, err: String(error) }, 'audit chainer cannot join yet; retrying');
        await new Promise((r) => setTimeout(r, backoffMs(attempt, { baseMs: 200, maxMs: 5_000 })));
      }
    }
  }

  /** Stops consuming (an unfinished batch is redelivered to whoever consumes next) and signs what is unsigned. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.started;
    await this.consumer.stop();
    await this.sweeping;
    await this.checkpointUnsigned();
  }

  private async onBatch(records: InboundRecord[]): Promise<void> {
    const events: AuditEvent[] = [];
    for (const r of records) {
      try {
        events.push(auditEventOfRecord(r.value));
      } catch (error) {
        // Not chainable, and retrying cannot make it so: skip it, loudly (its offset is named).
        this.refused.inc();
        this.opts.logger.error({ topic: r.topic, partition: r.partition, offset: r.offset, err: String(error) }, 'audit record refused: not a valid audit event');
      }
    }
    if (events.length > 0) {
      const { appended, checkpoints } = await this.writer.append(events);
      let n = 0;
      for (const v of appended.values()) n += v;
      this.appended.inc({}, n);
      await this.opts.checkpoints?.publish(checkpoints);
    }
    this.recordsHandled += records.length;
  }

  private async checkpointUnsigned(): Promise<void> {
    const signed: SignedCheckpoint[] = [];
    for (const tenant of [...this.writer.unsigned]) {
      try {
        const cp = await this.writer.checkpoint(tenant);
        if (cp) signed.push(cp);
      } catch (error) {
        this.opts.logger.warn({ tenantId: tenant, err: String(error) }, 'audit checkpoint failed; retried at the next interval');
      }
    }
    await this.opts.checkpoints?.publish(signed);
  }
}
