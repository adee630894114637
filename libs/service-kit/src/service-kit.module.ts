import { type BeforeApplicationShutdown, type DynamicModule, Global, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger, Metrics } from '@weaver/observability';
import { GRPC_SECURITY, type GrpcSecurity } from './grpc-security';
import { HealthHttpController } from './health.http-controller';
import { PINO_LOGGER } from './pino-nest-logger';
import { Readiness } from './readiness';
import { SERVICE_CONFIG, type ServiceConfig } from './service-config';
import { ServiceLifecycle } from './service-lifecycle';

export interface ServiceKitParts {
  config: ServiceConfig;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  security: GrpcSecurity;
  lifecycle: ServiceLifecycle;
}

/**
 * The only Nest lifecycle hooks of an app: the ServiceLifecycle's workers start once every
 * provider exists, stop before the servers close (Nest closes them between these two hooks),
 * and the resources close after. Apps and libraries register with the lifecycle instead of
 * implementing hooks, so the order is the lifecycle's, not Nest's module order.
 */
@Injectable()
class LifecycleHooks implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(private readonly lifecycle: ServiceLifecycle) {}

  onApplicationBootstrap(): Promise<void> {
    return this.lifecycle.startWorkers();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.lifecycle.stopWorkers();
  }

  onApplicationShutdown(): Promise<void> {
    return this.lifecycle.closeResources();
  }
}

/**
 * Global providers every app module can inject (SERVICE_CONFIG, PINO_LOGGER, Metrics,
 * Readiness, GRPC_SECURITY, ServiceLifecycle) and the health/metrics endpoints. Created once per app by bootstrapService,
 * from instances made before Nest starts (the signal handler and the Nest logger need them).
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(parts: ServiceKitParts): DynamicModule {
    const providers = [
      { provide: SERVICE_CONFIG, useValue: parts.config },
      { provide: PINO_LOGGER, useValue: parts.logger },
      { provide: Metrics, useValue: parts.metrics },
      { provide: Readiness, useValue: parts.readiness },
      { provide: GRPC_SECURITY, useValue: parts.security },
      { provide: ServiceLifecycle, useValue: parts.lifecycle },
    ];
    return { module: ServiceKitModule, controllers: [HealthHttpController], providers: [...providers, LifecycleHooks], exports: providers };
  }
}
