import type { Provider } from '@nestjs/common';
import type { PayloadCipher } from '@weaver/crypto';
import { EnvelopeSealer, EventProducer, TenantPlacements, TopicNames, type KafkaConnection } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { DeadLetterAdmin, RunAdmin } from '@weaver/run-api';
import { DeadLetterDispositions, RunControl, RunStore } from '@weaver/runs';
import { PINO_LOGGER, SERVICE_CIPHER, SERVICE_DATABASE, ServiceLifecycle } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';
import { GATEWAY_KAFKA } from './gateway.tokens';

const CANCEL_PRODUCER = Symbol('gateway.cancel-producer');

/**
 * Run admin and dead letters (issue 12 item 2): RunAdmin (lists, cancel, retry) and
 * DeadLetterAdmin, for RunsAdminHttpController and DeadLettersHttpController. Their own producer
 * for cancel records (acks=all, idempotent), so the intake's trigger producer is left alone.
 */
export const RUNS_ADMIN_PROVIDERS: Provider[] = [
  {
    provide: CANCEL_PRODUCER,
    inject: [GATEWAY_KAFKA, ServiceLifecycle],
    useFactory: async (kafka: KafkaConnection, lifecycle: ServiceLifecycle) => {
      const producer = new EventProducer(kafka, undefined, { retries: 3 });
      await producer.connect();
      return lifecycle.own('cancel producer', producer, (p) => p.disconnect());
    },
  },
  {
    provide: DeadLetterAdmin,
    inject: [GATEWAY_KAFKA, TopicNames, SERVICE_DATABASE, PINO_LOGGER, EnvelopeSealer],
    useFactory: (kafka: KafkaConnection, names: TopicNames, ds: DataSource, logger: Logger, sealer: EnvelopeSealer) => new DeadLetterAdmin(kafka, names, new DeadLetterDispositions(ds), logger, sealer),
  },
  {
    provide: RunAdmin,
    inject: [SERVICE_DATABASE, SERVICE_CIPHER, DeadLetterAdmin, TenantPlacements, CANCEL_PRODUCER],
    useFactory: (ds: DataSource, cipher: PayloadCipher, letters: DeadLetterAdmin, placements: TenantPlacements, producer: EventProducer) =>
      new RunAdmin({ store: new RunStore(ds, { cipher }), control: new RunControl(ds), letters, namesFor: (tenantId) => placements.namesFor(tenantId), send: (record) => producer.send([record]) }),
  },
];
