import { Inject, Injectable } from '@nestjs/common';
import { TenantPlacements, TopicTail, type KafkaConnection } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { RunEventsHub } from '@weaver/run-api';
import { InjectLogger, Readiness, ServiceLifecycle, type LifecycleWorker } from '@weaver/service-kit';
import { GATEWAY_KAFKA } from './gateway.tokens';

/**
 * Tails `weaver.runs.v1` into the hub while the gateway runs, and ends every open stream
 * (SSE and gRPC) at shutdown: the servers wait for open calls, so streams must end first.
 * An isolated-tier tenant's progress is on its own runs topic, tailed from the first time one
 * of its streams opens (`watch`) until shutdown — a few enterprise tenants, not thousands.
 */
@Injectable()
export class RunStreams implements LifecycleWorker {
  private readonly open_ = new Set<AbortController>();
  private readonly tail: TopicTail;
  private readonly tenantTails = new Map<string, Promise<TopicTail>>();
  private tailing = false;

  constructor(
    @Inject(GATEWAY_KAFKA) private readonly kafka: KafkaConnection,
    private readonly placements: TenantPlacements,
    private readonly hub: RunEventsHub,
    @InjectLogger() private readonly logger: Logger,
    readiness: Readiness,
    lifecycle: ServiceLifecycle,
  ) {
    this.tail = new TopicTail(kafka, placements.base.runs, hub.onRecord, logger, 'weaver.gateway.tail');
    readiness.register('run-events', () => this.tailing);
    lifecycle.work('run streams', this);
  }

  /** Resolves once the tenant's run progress reaches the hub (at once for standard tenants). */
  async watch(tenantId: string): Promise<void> {
    const names = await this.placements.namesFor(tenantId);
    if (names === this.placements.base) return;
    let started = this.tenantTails.get(tenantId);
    if (!started) {
      const tail = new TopicTail(this.kafka, names.runs, this.hub.onRecord, this.logger, 'weaver.gateway.tail');
      started = tail.start().then(() => tail);
      this.tenantTails.set(tenantId, started);
      // A tail that could not start is forgotten, so the next stream tries again.
      started.catch(() => this.tenantTails.delete(tenantId));
    }
    await started;
  }

  open(): AbortController {
    const c = new AbortController();
    this.open_.add(c);
    return c;
  }

  close(c: AbortController): void {
    this.open_.delete(c);
  }

  async start(): Promise<void> {
    await this.tail.start();
    this.tailing = true;
  }

  async stop(): Promise<void> {
    for (const c of this.open_) c.abort();
    this.tailing = false;
    await this.tail.stop();
    const tenantTails = await Promise.allSettled(this.tenantTails.values());
    for (const t of tenantTails) if (t.status === 'fulfilled') await t.value.stop();
  }
}
