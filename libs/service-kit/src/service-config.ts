import { Inject } from '@nestjs/common';
import { port, z } from '@weaver/config';
import { grpcSecurityConfigFields } from './grpc-security';

/**
 * The configuration every service shares. Apps extend it with their own variables (and their
 * own port defaults from DEFAULT_PORTS) and `bootstrapService` validates the result once:
 *
 *   const schema = serviceConfigSchema.extend({ HTTP_PORT: port(DEFAULT_PORTS.tenancy.http), ... });
 */
export const serviceConfigSchema = z.object({
  HTTP_PORT: port(8080),
  GRPC_PORT: port(50050),
  // Loopback by default: a service is exposed only when its deployment says so (0.0.0.0).
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * After SIGTERM, how long readiness answers 503 while the service still serves, before
   * anything stops: long enough for load balancers (Kubernetes endpoints) to stop routing here.
   * 0 locally; a deployment sets a few seconds (and terminationGracePeriodSeconds above drain + timeout).
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** After the drain window: how long workers, servers and resources may take to stop (then exit 1). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  // Mutual TLS for gRPC, checked at start by loadGrpcSecurity (required unless GRPC_INSECURE_DEV_ONLY).
  ...grpcSecurityConfigFields,
});

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

/** Local default ports per service, so services find each other without configuration. */
export const DEFAULT_PORTS = {
  gateway: { http: 8080, grpc: 50050 },
  registry: { http: 8081, grpc: 50051 },
  router: { http: 8082, grpc: 50052 },
  'agent-runner': { http: 8083, grpc: 50053 },
  publisher: { http: 8084, grpc: 50054 },
  tenancy: { http: 8085, grpc: 50055 },
} as const;

/** Injection token of the validated configuration (the app's own extended type). */
export const SERVICE_CONFIG = Symbol('weaver.service-config');

/** `constructor(@InjectServiceConfig() config: TenancyConfig)`. */
export const InjectServiceConfig = (): ParameterDecorator => Inject(SERVICE_CONFIG);
