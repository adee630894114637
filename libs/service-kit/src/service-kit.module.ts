import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type Logger, Metrics } from '@weaver/observability';
import { GRPC_SECURITY, type GrpcSecurity } from './grpc-security';
import { HealthHttpController } from './health.http-controller';
import { PINO_LOGGER } from './pino-nest-logger';
import { Readiness } from './readiness';
import { SERVICE_CONFIG, type ServiceConfig } from './service-config';

export interface ServiceKitParts {
  config: ServiceConfig;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  security: GrpcSecurity;
}

/**
 * Global providers every app module can inject (SERVICE_CONFIG, PINO_LOGGER, Metrics,
 * Readiness, GRPC_SECURITY) and the health/metrics endpoints. Created once per app by bootstrapService,
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
    ];
    return { module: ServiceKitModule, controllers: [HealthHttpController], providers, exports: providers };
  }
}
