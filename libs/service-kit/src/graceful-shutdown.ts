import type { INestApplication } from '@nestjs/common';
import { currentTracing, type Logger } from '@weaver/observability';
import type { Readiness } from './readiness';

export interface ShutdownDeps {
  app: INestApplication;
  readiness: Readiness;
  log: Logger;
  timeoutMs: number;
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT: flip readiness to not-ready first (traffic stops arriving), then run Nest's
 * shutdown hooks — providers stop consuming, finish in-flight work and commit in
 * beforeApplicationShutdown, servers close, connections close in onApplicationShutdown — then
 * exit 0. A second signal, a failing hook or the timeout exits 1 (the first two at once).
 * Returns the uninstaller.
 */
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
    log.info({ signal, timeoutMs: deps.timeoutMs }, 'shutdown: signal received, marking not ready');
    deps.readiness.markShuttingDown();
    const timer = setTimeout(() => {
      log.error({ timeoutMs: deps.timeoutMs }, 'shutdown: timed out waiting for shutdown hooks, forcing exit');
      exit(1);
    }, deps.timeoutMs);
    log.info('shutdown: running shutdown hooks (stop consuming, finish in-flight work, commit, close)');
    // The spans of the last work are exported before exit (the batch processor holds them up to a second).
    deps.app.close().then(() => currentTracing().shutdown().catch((err: unknown) => log.warn({ err }, 'shutdown: could not export the last spans'))).then(
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
