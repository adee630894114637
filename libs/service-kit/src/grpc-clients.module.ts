import { type DynamicModule, Inject, Module, type Provider } from '@nestjs/common';
import type { GrpcServiceDescriptor } from '@weaver/contracts';
import { type GrpcClientOptions, grpcClient } from './grpc-client';
import { GRPC_SECURITY, type GrpcSecurity } from './grpc-security';
import { SERVICE_CONFIG } from './service-config';
import { ServiceLifecycle } from './service-lifecycle';

export interface GrpcClientRegistration<C> {
  service: GrpcServiceDescriptor;
  /** host:port, or read from the validated service config. */
  url: string | ((config: C) => string);
  options?: GrpcClientOptions;
}

/** Injection token of the typed client of a service. */
export function grpcClientToken(service: GrpcServiceDescriptor): string {
  return `weaver.grpc-client:${service.package}.${service.serviceName}`;
}

/** `constructor(@InjectGrpcClient(GRPC_SERVICES.tenancy) tenancy: tenancy.TenancyServiceClient)`. */
export const InjectGrpcClient = (service: GrpcServiceDescriptor): ParameterDecorator => Inject(grpcClientToken(service));

/**
 * Typed gRPC clients of other services as Nest providers:
 *   GrpcClientsModule.register<AppConfig>([{ service: GRPC_SERVICES.tenancy, url: (c) => c.TENANCY_GRPC_URL }])
 * Each uses the app's GRPC_SECURITY (mutual TLS as this service) and is injected with
 * `@InjectGrpcClient(service)` (or `inject: [grpcClientToken(service)]`); its channel is a
 * ServiceLifecycle resource, closed after the servers stopped. This is how every app and
 * library gets a client of another service. Needs the service kit's global providers
 * (present in every app booted by bootstrapService).
 */
@Module({})
export class GrpcClientsModule {
  static register<C>(clients: ReadonlyArray<GrpcClientRegistration<C>>): DynamicModule {
    const providers: Provider[] = clients.map((reg) => ({
      provide: grpcClientToken(reg.service),
      inject: [SERVICE_CONFIG, GRPC_SECURITY, ServiceLifecycle],
      useFactory: (config: C, security: GrpcSecurity, lifecycle: ServiceLifecycle) => {
        const url = typeof reg.url === 'string' ? reg.url : reg.url(config);
        const handle = lifecycle.own(`grpc client ${reg.service.serviceName}`, grpcClient<object>(reg.service, url, security, reg.options), (h) => h.close());
        return handle.client;
      },
    }));
    return { module: GrpcClientsModule, providers, exports: providers };
  }
}
