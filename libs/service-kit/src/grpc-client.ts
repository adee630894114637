import { type Interceptor, InterceptingCall, Metadata } from '@grpc/grpc-js';
import { type ClientGrpc, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { GRPC_SERVICES, type GrpcServiceDescriptor, PROTO_ROOT } from '@weaver/contracts';
import { join } from 'node:path';
import { type Observable, catchError, firstValueFrom, throwError } from 'rxjs';
import { grpcChannelCredentials } from './grpc-credentials';
import { GRPC_LOADER_OPTIONS } from './grpc-options';
import { weaverErrorFromGrpc } from './grpc-error';
import type { GrpcSecurity } from './grpc-security';
import type { ServiceIdentity } from './service-identity';

export interface GrpcClientOptions {
  /** Deadline for unary calls that set none (streams get none: they live as long as they need). */
  deadlineMs?: number;
  /** Interval of HTTP/2 keep-alive pings, so a dead peer is noticed between calls. */
  keepaliveTimeMs?: number;
}

export const DEFAULT_GRPC_DEADLINE_MS = 10_000;

/** A typed client (a ts-proto `XServiceClient`) and the channel to close on shutdown. */
export interface GrpcClientHandle<T> {
  client: T;
  close(): void;
}

/**
 * A typed client of another Weaver service, e.g.
 *   const { client } = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, '127.0.0.1:50055', security);
 *   const t = await unary(client.getTenant({ tenantId: '' }, tenantMetadata(tenantId)));
 * `security` is the caller's (GRPC_SECURITY in an app): over mutual TLS the server must prove
 * it is the service that serves `service`. Unary calls get a default deadline; the channel is
 * long-lived and keeps itself alive with pings, so TLS handshakes are per connection.
 */
export function grpcClient<T extends object>(
  service: GrpcServiceDescriptor,
  url: string,
  security: GrpcSecurity,
  options: GrpcClientOptions = {},
): GrpcClientHandle<T> {
  const server = serverIdentityOf(service);
  const proxy = ClientProxyFactory.create({
    transport: Transport.GRPC,
    options: {
      url,
      credentials: grpcChannelCredentials(security, server),
      package: service.package,
      protoPath: join(PROTO_ROOT, service.protoFile),
      loader: GRPC_LOADER_OPTIONS,
      keepalive: {
        keepaliveTimeMs: options.keepaliveTimeMs ?? 30_000,
        keepaliveTimeoutMs: 10_000,
        keepalivePermitWithoutCalls: 1,
      },
      // grpc-js takes client interceptors from the options Nest passes to the client constructor.
      channelOptions: {
        interceptors: [unaryDeadline(options.deadlineMs ?? DEFAULT_GRPC_DEADLINE_MS)],
        // TLS server name: the identity (a DNS SAN of its certificate), not the URL's IP (RFC 6066).
        ...(security.mode === 'mtls' ? { 'grpc.ssl_target_name_override': server } : {}),
      },
    },
  }) as ClientGrpc & { close(): unknown };
  return { client: proxy.getService<T>(service.serviceName), close: () => void proxy.close() };
}

/** The service (and so the certificate identity) that serves a gRPC service: its key in GRPC_SERVICES. */
export function serverIdentityOf(service: GrpcServiceDescriptor): ServiceIdentity {
  const entry = Object.entries(GRPC_SERVICES).find(([, s]) => s.package === service.package && s.serviceName === service.serviceName);
  if (!entry) throw new Error(`${service.package}.${service.serviceName} is not a Weaver gRPC service (GRPC_SERVICES)`);
  return ('servedBy' in entry[1] ? entry[1].servedBy : entry[0]) as ServiceIdentity;
}

function unaryDeadline(ms: number): Interceptor {
  return (options, nextCall) => {
    const streaming = options.method_definition.responseStream || options.method_definition.requestStream;
    const withDeadline = streaming || options.deadline !== undefined ? options : { ...options, deadline: Date.now() + ms };
    return new InterceptingCall(nextCall(withDeadline));
  };
}

/** A unary call as a promise; a failure rejects with the WeaverError subclass the server threw. */
export function unary<T>(call: Observable<T>): Promise<T> {
  return firstValueFrom(call.pipe(asWeaverErrors()));
}

/** rxjs operator for streaming calls: errors become WeaverErrors. */
export function asWeaverErrors<T>(): (source: Observable<T>) => Observable<T> {
  return (source) => source.pipe(catchError((err: unknown) => throwError(() => weaverErrorFromGrpc(err))));
}

/** The gRPC metadata entry that authenticates a tenant's call (see gateway.proto). */
export const API_KEY_METADATA = 'x-api-key';

/** Metadata carrying a tenant's API key, for a client call. */
export function apiKeyMetadata(apiKey: string): Metadata {
  const metadata = new Metadata();
  metadata.set(API_KEY_METADATA, apiKey);
  return metadata;
}

/** The API key a caller sent (server side), or undefined. */
export function apiKeyOf(metadata: Metadata | undefined): string | undefined {
  const value = metadata?.get(API_KEY_METADATA)[0];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
