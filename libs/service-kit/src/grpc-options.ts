import type { ChannelOptions, ServerCredentials } from '@grpc/grpc-js';
import type { GrpcOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import { type GrpcServiceDescriptor, PROTO_ROOT } from '@weaver/contracts';
import { join } from 'node:path';

/**
 * How protos are loaded, on both sides. It matches the ts-proto generation (buf.gen.yaml):
 * camelCase fields (keepCase false ↔ snakeToCamel), int64 as number (↔ forceLong=number),
 * enum names (↔ stringEnums), proto3 defaults filled in (↔ non-optional scalars), and the set
 * oneof case named in a virtual field. Unset message fields arrive as null.
 */
export const GRPC_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** Server keep-alive: accept clients' pings (every 10 s or slower), even between calls. */
const SERVER_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
};

/** Nest gRPC transport options serving the given services on host:port (credentials: grpcServerCredentials). */
export function grpcServerOptions(services: readonly GrpcServiceDescriptor[], host: string, port: number, credentials: ServerCredentials): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url: `${host}:${port}`,
      credentials,
      // Each package once: two services of one package (the gateway's GatewayService and
      // AdminService) would otherwise be added twice, which grpc-js refuses.
      package: [...new Set(services.map((s) => s.package))],
      protoPath: services.map((s) => join(PROTO_ROOT, s.protoFile)),
      loader: GRPC_LOADER_OPTIONS,
      channelOptions: SERVER_CHANNEL_OPTIONS,
      // Let in-flight calls finish on shutdown; streams must be ended by their providers in
      // beforeApplicationShutdown (the shutdown timeout is the backstop).
      gracefulShutdown: true,
    },
  };
}
