import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { GrpcServiceDescriptor } from '@weaver/contracts';
import { type GrpcClientOptions, grpcClient } from './grpc-client';
import { GRPC_SECURITY, type GrpcSecurity } from './grpc-security';
import { SERVICE_CONFIG } from './service-config';

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

/** Closes every client channel when the application shuts down. */
class GrpcClientChannels implements OnApplicationShutdown {
  readonly closers: Array<() => void> = [];
  onApplicationShutdown(): void {
    for (const close of this.closers.splice(0)) close();
  }
}

/**
 * Typed gRPC clients of other services as Nest providers:
 *   GrpcClientsModule.register<AppConfig>([{ service: GRPC_SERVICES.tenancy, url: (c) => c.TENANCY_GRPC_URL }])
 * Each uses the app's GRPC_SECURITY (mutual TLS as this service). Needs the service kit's global SERVICE_CONFIG (present in every app booted by bootstrapService).
 */
@Module({})
export class GrpcClientsModule {
  static register<C>(clients: ReadonlyArray<GrpcClientRegistration<C>>): DynamicModule {
    const channels: Provider = { provide: GrpcClientChannels, useFactory: () => new GrpcClientChannels() };
    const providers: Provider[] = clients.map((reg) => ({
      provide: grpcClientToken(reg.service),
      inject: [SERVICE_CONFIG, GRPC_SECURITY, GrpcClientChannels],
      useFactory: (config: C, security: GrpcSecurity, owned: GrpcClientChannels) => {
        const url = typeof reg.url === 'string' ? reg.url : reg.url(config);
        const handle = grpcClient<object>(reg.service, url, security, reg.options);
        owned.closers.push(handle.close);
        return handle.client;
      },
    }));
    return { module: GrpcClientsModule, providers: [channels, ...providers], exports: providers };
  }
}
