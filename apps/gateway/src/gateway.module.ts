import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { GRPC_SERVICES, type registry, type tenancy } from '@weaver/contracts';
import { createKafka, EventProducer, setTopicNamespace, type KafkaConnection } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import { RunEventsHub, RunService } from '@weaver/run-api';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA } from '@weaver/runs';
import { grpcClient, PINO_LOGGER, SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule } from '@weaver/service-kit';
import type { DataSource } from 'typeorm';
import { AdminHttpController } from './admin.http-controller';
import { ApiKeyResolver } from './api-key.resolver';
import type { GatewayConfig } from './gateway.config';
import { GatewayGrpcController } from './gateway.grpc-controller';
import { GATEWAY_CLIENTS, GATEWAY_KAFKA, type GatewayClients } from './gateway.tokens';
import { RunStreams } from './run-streams';
import { RunsHttpController } from './runs.http-controller';

const TRIGGER_PRODUCER = Symbol('gateway.trigger-producer');

/** Closes the producer and the gRPC channels after the servers stopped. */
@Injectable()
class ResourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(GATEWAY_CLIENTS) private readonly clients: GatewayClients,
    @Inject(TRIGGER_PRODUCER) private readonly producer: EventProducer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    this.clients.close();
  }
}

@Module({
  imports: [ServiceDatabaseModule.forRoot({ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS, applicationName: 'weaver-gateway' })],
  controllers: [RunsHttpController, AdminHttpController, GatewayGrpcController],
  providers: [
    {
      provide: GATEWAY_CLIENTS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: GatewayConfig): GatewayClients => {
        const t = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, config.TENANCY_URL);
        const r = grpcClient<registry.RegistryServiceClient>(GRPC_SERVICES.registry, config.REGISTRY_URL);
        return { tenancy: t.client, registry: r.client, close: () => (t.close(), r.close()) };
      },
    },
    {
      provide: GATEWAY_KAFKA,
      inject: [SERVICE_CONFIG, PINO_LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger): KafkaConnection => {
        setTopicNamespace(config.KAFKA_NAMESPACE);
        return createKafka({ brokers: config.KAFKA_BROKERS, clientId: `weaver-gateway-${process.pid}`, logger });
      },
    },
    {
      provide: TRIGGER_PRODUCER,
      inject: [GATEWAY_KAFKA],
      useFactory: async (kafka: KafkaConnection) => {
        const producer = new EventProducer(kafka);
        await producer.connect();
        return producer;
      },
    },
    {
      provide: ApiKeyResolver,
      inject: [GATEWAY_CLIENTS, SERVICE_CONFIG],
      useFactory: (clients: GatewayClients, config: GatewayConfig) => new ApiKeyResolver(clients.tenancy, config.API_KEY_CACHE_TTL_MS),
    },
    {
      provide: RunService,
      inject: [SERVICE_DATABASE, TRIGGER_PRODUCER],
      useFactory: (ds: DataSource, producer: EventProducer) => new RunService(new RunStore(ds), producer),
    },
    { provide: RunEventsHub, useValue: new RunEventsHub() },
    RunStreams,
    ResourceCloser,
  ],
})
export class GatewayModule {}
