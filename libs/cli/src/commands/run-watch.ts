import { CliError } from '../cli-error';
import { isTerminal, type GatewayApi, type Run, type RunEvent } from '../gateway/gateway-api';

const RUN_END = new Set(['run.completed', 'run.failed']);

export interface WatchOptions {
  signal?: AbortSignal;
  /** Reconnects after a stream ended early (gateway restart, proxy timeout). Default 5. */
  maxReconnects?: number;
  /** Pause before reconnect n (1-based). Default 250 ms × n. */
  backoffMs?: (attempt: number) => number;
}

/**
 * Follows a run's event stream until the run ends and returns its final state (with steps).
 * The stream opens with a snapshot, so a run that ended before we connected ends the watch
 * at once; a stream cut short is reopened, and the snapshot fills in what was missed.
 */
export async function watchRun(gateway: GatewayApi, runId: string, onEvent: (event: RunEvent) => void, options: WatchOptions = {}): Promise<Run> {
  const maxReconnects = options.maxReconnects ?? 5;
  for (let attempt = 0; ; attempt++) {
    let ended: RunEvent | undefined;
    try {
      for await (const event of gateway.runEvents(runId, options.signal)) {
        onEvent(event);
        if (RUN_END.has(event.kind) || (event.kind === 'snapshot' && event.run && isTerminal(event.run.status))) {
          ended = event;
          break;
        }
      }
    } catch (error) {
      // The run was started: a gateway that cannot be reached now (restarting, a connection reset
      // before the stream's first bytes) is a dropped stream, followed up like one, a few times.
      if (!isUnreachable(error) || attempt >= maxReconnects) throw error;
      await pause(backoff(options, attempt), options.signal);
      continue;
    }
    // The gateway attaches the final run (with steps and result) to the terminal event.
    if (ended?.run && isTerminal(ended.run.status)) return ended.run;
    let run = await gateway.getRun(runId);
    // Without it, the stored run may trail the event by a moment: re-read briefly.
    for (let i = 0; ended && !isTerminal(run.status) && i < 20; i++) {
      await pause(100, options.signal);
      run = await gateway.getRun(runId);
    }
    if (ended) return run;
    // The stream was cut and the run ended meanwhile: what we missed is in the stored run.
    if (isTerminal(run.status)) return onEvent({ kind: 'snapshot', runId, run, time: new Date().toISOString() }), run;
    if (attempt >= maxReconnects) return run; // still running: the caller says how to keep following
    await pause(backoff(options, attempt), options.signal);
  }
}

const backoff = (options: WatchOptions, attempt: number): number => (options.backoffMs ?? ((n) => 250 * n))(attempt + 1);

const isUnreachable = (error: unknown): boolean => error instanceof CliError && error.code === 'UNAVAILABLE';

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
