import type { InstanceHealth } from '../instances/instance-health';
import type { PartitionRef } from '../instances/partition-takeover';

export interface HeartbeatReport {
  readonly inFlight: number;
  readonly partitions: readonly PartitionRef[];
}

export interface HeartbeatOptions {
  /** Time between heartbeats; keep it well below the registry's suspect timeout (default 15 s). */
  readonly intervalMs: number;
  /** What the instance is doing right now, read at each heartbeat. */
  readonly report: () => HeartbeatReport;
  /**
   * Called once when the registry asks the instance to drain: stop taking work, finish what is
   * in flight, commit. Heartbeats continue meanwhile (a silent drainer would be declared dead);
   * when it resolves the loop deregisters the instance and stops.
   */
  readonly onDrain: () => Promise<void>;
  /** A failed heartbeat or drain (the loop keeps going); default: ignored. */
  readonly onError?: (error: unknown) => void;
  /** Each heartbeat's answer, e.g. for logs. */
  readonly onHealth?: (health: InstanceHealth) => void;
}

export interface HeartbeatTransport {
  heartbeat(report: HeartbeatReport): Promise<{ health: InstanceHealth; drain: boolean }>;
  deregister(): Promise<void>;
}

/** Stops the heartbeats (waiting for one in flight). It does not deregister: call deregister on clean shutdown. */
export type StopHeartbeats = () => Promise<void>;

/** The loop behind `RegistryClient.startHeartbeats`: no overlapping beats, timers never keep the process alive. */
export function runHeartbeats(transport: HeartbeatTransport, options: HeartbeatOptions): StopHeartbeats {
  if (!Number.isInteger(options.intervalMs) || options.intervalMs < 10) throw new RangeError('intervalMs: must be an integer >= 10');
  const onError = options.onError ?? (() => undefined);
  let active = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let beat: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  let drained = false;

  const drain = async (): Promise<void> => {
    try {
      if (!drained) {
        await options.onDrain();
        drained = true;
      }
      // Stop beating before deregistering, so no heartbeat arrives for a deregistered instance.
      active = false;
      clearTimeout(timer);
      await beat;
      await transport.deregister();
    } catch (error) {
      onError(error);
      // Keep heartbeating (as draining): the next answer still says drain, which retries what failed.
      draining = undefined;
      if (!active && !stopped) {
        active = true;
        schedule();
      }
    }
  };

  const tick = async (): Promise<void> => {
    try {
      const answer = await transport.heartbeat(options.report());
      options.onHealth?.(answer.health);
      if (answer.drain && draining === undefined && active) draining = drain();
    } catch (error) {
      onError(error);
    }
  };

  const schedule = (): void => {
    if (!active) return;
    timer = setTimeout(() => {
      beat = tick().finally(() => {
        beat = undefined;
        schedule();
      });
    }, options.intervalMs);
    timer.unref();
  };

  schedule();
  return async () => {
    stopped = true;
    active = false;
    clearTimeout(timer);
    await beat;
  };
}
