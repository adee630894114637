import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { TopicNames, TopicTail, type KafkaConnection } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { RunEventsHub } from '@weaver/run-api';
import { InjectLogger, Readiness } from '@weaver/service-kit';
import { GATEWAY_KAFKA } from './gateway.tokens';

/**
 * Tails `weaver.runs.v1` into the hub while the gateway runs, and ends every open stream
 * (SSE and gRPC) at shutdown: the servers wait for open calls, so streams must end first.
 */
@Injectable()
export class RunStreams implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly open_ = new Set<AbortController>();
  private readonly tail: TopicTail;
  private tailing = false;

  constructor(@Inject(GATEWAY_KAFKA) kafka: KafkaConnection, names: TopicNames, hub: RunEventsHub, @InjectLogger() logger: Logger, readiness: Readiness) {
    this.tail = new TopicTail(kafka, names.runs, hub.onRecord, logger, 'weaver.gateway.tail');
    readiness.register('run-events', () => this.tailing);
  }

  open(): AbortController {
    const c = new AbortController();
    this.open_.add(c);
    return c;
  }

  close(c: AbortController): void {
    this.open_.delete(c);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tail.start();
    this.tailing = true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const c of this.open_) c.abort();
    this.tailing = false;
    await this.tail.stop();
  }
}
