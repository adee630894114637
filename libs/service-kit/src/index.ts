/**
 * @weaver/service-kit — how every Weaver service boots.
 *
 *   // apps/tenancy/src/main.ts
 *   const schema = serviceConfigSchema.extend({ HTTP_PORT: port(DEFAULT_PORTS.tenancy.http), ... });
 *   void bootstrapService({ service: 'tenancy', module: TenancyModule, configSchema: schema,
 *                           grpc: [GRPC_SERVICES.tenancy] });
 *
 * It gives an HTTP (Fastify) + gRPC hybrid Nest app with `/health/live`, `/health/ready`
 * (Readiness checks), `/metrics`, pino logs, WeaverError → HTTP/gRPC status at the edge, typed
 * gRPC clients of other services (grpcClient, GrpcClientsModule, unary, apiKeyMetadata) and
 * graceful shutdown. gRPC is mutual TLS with per-service certificates (grpc-security.ts), every
 * method authorised by GRPC_ACCESS_RULES (grpc-access.table.ts) in one server interceptor, and
 * tenant-scoped handlers read the tenant with tenantOf(metadata) (grpc-tenant.ts). Tests use `startServiceForTest`. Run a service with
 * `node -r @swc-node/register apps/<svc>/src/main.ts` (see README).
 */
export * from './bootstrap-service';
export * from './graceful-shutdown';
export * from './grpc-client';
export * from './grpc-clients.module';
export * from './grpc-access';
export * from './grpc-access.table';
export * from './grpc-credentials';
export * from './grpc-error';
export * from './grpc-methods';
export * from './grpc-options';
export * from './grpc-security';
export * from './grpc-tenant';
export * from './http-error';
export * from './pino-nest-logger';
export * from './readiness';
export * from './service-config';
export * from './service-identity';
export * from './service-kit.module';
export * from './service-lifecycle';
export { WeaverExceptionFilter } from './weaver-exception.filter';
export { HTTP_ERROR_RENDERER, type HttpErrorRenderer, type RenderedHttpError } from './http-error-renderer';
export { GrpcMetricsInterceptor } from './grpc-metrics.interceptor';
export { HealthHttpController } from './health.http-controller';
export * from './service-database.module';
export * from './service-cipher';
export * from './quota-cache';
export * from './tenant-quotas.module';
