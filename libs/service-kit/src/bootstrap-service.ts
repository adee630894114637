import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type z, loadConfig } from '@weaver/config';
import type { GrpcServiceDescriptor } from '@weaver/contracts';
import { asWeaverError } from '@weaver/errors';
import { type Logger, Metrics, createLogger } from '@weaver/observability';
import { createServer } from 'node:net';
import { closeConnectionsWhenDraining, drainAndClose, exitWhenDrained, installGracefulShutdown } from './graceful-shutdown';
import { grpcAccessInterceptor } from './grpc-access';
import { grpcServerCredentials } from './grpc-credentials';
import { GrpcMetricsInterceptor } from './grpc-metrics.interceptor';
import { grpcServerOptions } from './grpc-options';
import { type GrpcSecurity, loadGrpcSecurity } from './grpc-security';
import { recordHttpMetrics } from './http-metrics.hook';
import { PinoNestLogger } from './pino-nest-logger';
import { Readiness } from './readiness';
import type { ServiceConfig } from './service-config';
import { type ServiceIdentity, isServiceIdentity } from './service-identity';
import { ServiceKitModule } from './service-kit.module';
import { ServiceLifecycle } from './service-lifecycle';
import { WeaverExceptionFilter } from './weaver-exception.filter';
import { HTTP_ERROR_RENDERER, type HttpErrorRenderer } from './http-error-renderer';

export interface ServiceOptions<S extends z.ZodType<ServiceConfig>> {
  /** Service name: the `service` label of every log line and metric. */
  service: string;
  /**
   * The identity its gRPC certificate must carry (spiffe://weaver/<identity>); defaults to
   * `service` when that is one of SERVICE_IDENTITIES (test fixtures name theirs).
   */
  identity?: ServiceIdentity;
  /** The app's root module (imports libs' modules, declares controllers). */
  module: Type<unknown> | DynamicModule | ForwardReference;
  /** serviceConfigSchema, extended with the app's own variables. */
  configSchema: S;
  /** gRPC services this app serves (from GRPC_SERVICES); none → HTTP only. */
  grpc?: readonly GrpcServiceDescriptor[];
  /** Its gRPC API answers callers outside Weaver (the gateway): server-side errors go out without internals. */
  clientFacingGrpc?: boolean;
  /** Environment to validate; bootstrapService defaults to process.env, tests to {}. */
  env?: Record<string, string | undefined>;
}

export interface RunningService<C extends ServiceConfig> {
  app: NestFastifyApplication;
  config: C;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  /** starting → ready → draining → stopped, with the workers and resources the app registered. */
  lifecycle: ServiceLifecycle;
  /** How its gRPC server and clients are secured (mutual TLS unless GRPC_INSECURE_DEV_ONLY). */
  security: GrpcSecurity;
  /** http://host:port */
  httpUrl: string;
  /** host:port of the gRPC server (undefined when it serves none). */
  grpcUrl: string | undefined;
  /** Drains (SHUTDOWN_DRAIN_MS) and closes: what SIGTERM does, minus the exit. Idempotent; `afterDrain` runs when the window ends. */
  close(afterDrain?: () => void): Promise<void>;
}

@Module({})
class ServiceRootModule {}

const identityOf = (opts: ServiceOptions<z.ZodType<ServiceConfig>>): ServiceIdentity | undefined =>
  opts.identity ?? (isServiceIdentity(opts.service) ? opts.service : undefined);

async function startService<S extends z.ZodType<ServiceConfig>>(
  opts: ServiceOptions<S>,
  config: z.infer<S>,
  security: GrpcSecurity,
): Promise<RunningService<z.infer<S>>> {
  const logger = createLogger(opts.service, { level: config.LOG_LEVEL });
  if (security.mode === 'insecure') logger.warn('GRPC_INSECURE_DEV_ONLY: gRPC runs in plaintext and any caller may call any method (local development only)');
  const metrics = new Metrics(opts.service);
  const readiness = new Readiness();
  const lifecycle = new ServiceLifecycle();
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [ServiceKitModule.forRoot({ config, logger, metrics, readiness, security, lifecycle }), opts.module],
  };
  // abortOnError false: a failing provider rejects here (and is logged) instead of process.abort().
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  recordHttpMetrics(app.getHttpAdapter().getInstance(), metrics);
  closeConnectionsWhenDraining(app.getHttpAdapter().getInstance(), lifecycle);
  app.useGlobalFilters(new WeaverExceptionFilter(logger, opts.clientFacingGrpc ?? false, optionalProvider<HttpErrorRenderer>(app, HTTP_ERROR_RENDERER)));
  app.useGlobalInterceptors(new GrpcMetricsInterceptor(metrics));
  const grpc = opts.grpc ?? [];
  if (grpc.length > 0) {
    const denied = metrics.counter('grpc_server_denied_total', 'gRPC calls refused by the access rules, by method and status', ['method', 'code'] as const);
    const access = grpcAccessInterceptor(security, { onDenied: (method, err) => denied.inc({ method, code: err.code }) });
    // inheritAppConfig: the gRPC server shares the global filter and interceptor above.
    app.connectMicroservice(grpcServerOptions(grpc, config.BIND_HOST, config.GRPC_PORT, grpcServerCredentials(security, access)), { inheritAppConfig: true });
  }
  try {
    await app.startAllMicroservices();
    await app.listen(config.HTTP_PORT, config.BIND_HOST);
  } catch (err) {
    await app.close().catch(() => undefined);
    lifecycle.transition('stopped');
    throw err;
  }
  lifecycle.transition('ready');
  const grpcUrl = grpc.length > 0 ? `${config.BIND_HOST}:${config.GRPC_PORT}` : undefined;
  const httpUrl = `http://${config.BIND_HOST}:${config.HTTP_PORT}`;
  logger.info({ httpUrl, grpcUrl, grpcServices: grpc.map((s) => `${s.package}.${s.serviceName}`), grpcSecurity: security.mode }, 'service started');
  let closing: Promise<void> | undefined;
  // A rest tuple keeps close.length 0, so test runners never take it for a done-callback hook.
  const close = (...[afterDrain]: [(() => void)?]): Promise<void> => (closing ??= drainAndClose({ app, lifecycle, readiness, log: logger, drainMs: config.SHUTDOWN_DRAIN_MS }, afterDrain));
  return { app, config, logger, metrics, readiness, lifecycle, security, httpUrl, grpcUrl, close };
}

/** A provider the app's module may or may not declare. */
function optionalProvider<T>(app: NestFastifyApplication, token: symbol): T | undefined {
  try {
    return app.get<T>(token, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Boots a service from its `main.ts`: validates config once, gRPC certificates included (a
 * bad value prints every variable and rule, exit 1), starts HTTP + gRPC, and installs graceful shutdown on
 * SIGTERM/SIGINT (see installGracefulShutdown).
 */
export async function bootstrapService<S extends z.ZodType<ServiceConfig>>(opts: ServiceOptions<S>): Promise<RunningService<z.infer<S>>> {
  let config: z.infer<S>;
  let security: GrpcSecurity;
  try {
    config = loadConfig(opts.configSchema, opts.env ?? process.env);
    security = loadGrpcSecurity(config, identityOf(opts));
  } catch (err) {
    process.stderr.write(`${opts.service}: ${asWeaverError(err).message}\n`);
    process.exit(1);
  }
  try {
    const running = await startService(opts, config, security);
    installGracefulShutdown({ close: running.close, log: running.logger, drainMs: config.SHUTDOWN_DRAIN_MS, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
    return running;
  } catch (err) {
    const log = createLogger(opts.service, { level: config.LOG_LEVEL });
    log.fatal({ err }, `service failed to start: ${asWeaverError(err).message}`);
    exitWhenDrained(1);
    return new Promise<never>(() => undefined);
  }
}

/**
 * The same service in-process for tests: config from `opts.env` only (never process.env),
 * free loopback ports unless given, LOG_LEVEL silent unless given, no signal handlers.
 * Call `close()` in afterAll.
 */
export async function startServiceForTest<S extends z.ZodType<ServiceConfig>>(opts: ServiceOptions<S>): Promise<RunningService<z.infer<S>>> {
  const env = { ...opts.env };
  env['BIND_HOST'] ??= '127.0.0.1';
  env['HTTP_PORT'] ??= String(await freePort(env['BIND_HOST']));
  env['GRPC_PORT'] ??= String(await freePort(env['BIND_HOST']));
  env['LOG_LEVEL'] ??= 'silent';
  const config = loadConfig(opts.configSchema, env, 'test environment');
  return startService(opts, config, loadGrpcSecurity(config, identityOf(opts), 'test environment'));
}

/** A port free right now on host (the OS picks it; a tiny race with other processes remains). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
