import type { INestApplication } from '@nestjs/common';
import { currentTracing, type Logger } from '@weaver/observability';
import type { FastifyInstance } from 'fastify';
import type { Readiness } from './readiness';
import type { ServiceLifecycle } from './service-lifecycle';

export interface DrainDeps {
  app: INestApplication;
  lifecycle: ServiceLifecycle;
  readiness: Readiness;
  log: Logger;
  /** SHUTDOWN_DRAIN_MS: how long the service keeps serving, not ready, before anything stops. */
  drainMs: number;
}

export interface ShutdownDeps {
  log: Logger;
  drainMs: number;
  /** The service's one drain-and-close (RunningService.close), calling `afterDrain` when the window ends. */
  close(afterDrain: () => void): Promise<void>;
  /** SHUTDOWN_TIMEOUT_MS: the bound on everything after the drain window. */
  timeoutMs: number;
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

/**
 * ready → draining → stopped: readiness answers 503 at once (traffic stops arriving) while the
 * service still serves for the drain window; then Nest's close runs the lifecycle — workers
 * stop fetching, finish and commit in-flight work and leave their groups; the HTTP and gRPC
 * servers stop accepting and finish in-flight calls; resources close in reverse order.
 * `afterDrain` runs when the window ends (the shutdown timer starts there).
 */
export async function drainAndClose(deps: DrainDeps, afterDrain: () => void = () => undefined): Promise<void> {
  deps.lifecycle.transition('draining');
  deps.readiness.markShuttingDown();
  if (deps.drainMs > 0) {
    deps.log.info({ drainMs: deps.drainMs }, 'shutdown: draining (not ready, still serving)');
    await new Promise((resolve) => setTimeout(resolve, deps.drainMs));
  }
  afterDrain();
  deps.log.info('shutdown: running shutdown hooks (stop consuming, finish in-flight work, commit, close)');
  await deps.app.close();
  // The spans of the last work are exported before exit (the batch processor holds them up to a second).
  await currentTracing().shutdown().catch((err: unknown) => deps.log.warn({ err }, 'shutdown: could not export the last spans'));
  deps.lifecycle.transition('stopped');
}

/**
 * While draining, every HTTP response says `connection: close`, so keep-alive clients open
 * their next connection through the load balancer — to a ready instance — instead of reusing
 * one to this instance after its server stopped accepting.
 */
export function closeConnectionsWhenDraining(fastify: FastifyInstance, lifecycle: ServiceLifecycle): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (lifecycle.state === 'draining') void reply.header('connection', 'close');
    return payload;
  });
}

/**
 * Ends the process with `code` once the event loop has drained, so log lines still being
 * written asynchronously by pino come out complete and in order (process.exit() during a
 * pending write loses or reorders them). Something left open would keep the process alive,
 * hence the unref'd backstop that exits anyway.
 */
export function exitWhenDrained(code: number, exit: (code: number) => void = (c) => process.exit(c), backstopMs = 1_000): void {
  process.exitCode = code;
  setTimeout(() => exit(code), backstopMs).unref();
}

/**
 * SIGTERM/SIGINT: drainAndClose, then exit 0. A second signal, a failing hook or the timeout
 * (counted from the end of the drain window) exits 1 (the first two at once). Returns the uninstaller.
 */
export function installGracefulShutdown(deps: ShutdownDeps): () => void {
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const { log } = deps;
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.error({ signal }, 'shutdown: second signal received, forcing exit');
      exit(1);
      return;
    }
    stopping = true;
    log.info({ signal, drainMs: deps.drainMs, timeoutMs: deps.timeoutMs }, 'shutdown: signal received, marking not ready');
    let timer: NodeJS.Timeout | undefined;
    const startTimer = (): void => {
      timer = setTimeout(() => {
        log.error({ timeoutMs: deps.timeoutMs }, 'shutdown: timed out waiting for shutdown hooks, forcing exit');
        exit(1);
      }, deps.timeoutMs);
    };
    deps.close(startTimer).then(
      () => {
        clearTimeout(timer);
        log.info('shutdown: complete, exiting');
        exitWhenDrained(0, exit);
      },
      (err: unknown) => {
        clearTimeout(timer);
        log.error({ err }, 'shutdown: a shutdown hook failed, exiting');
        exitWhenDrained(1, exit);
      },
    );
  };

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
