import type { RunEventsHub } from './run-events.hub';
import type { RunService } from './run-service';
import { isTerminal, type RunEventView } from './run-view';

/**
 * A run's progress as an async stream: a snapshot first, then each change, ending after the
 * run completes or fails. Subscribes before reading the snapshot, so no change falls between.
 */
export async function* followRun(runs: RunService, hub: RunEventsHub, tenantId: string, runId: string, signal?: AbortSignal): AsyncGenerator<RunEventView> {
  const queue: RunEventView[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = hub.subscribe(tenantId, runId, (e) => {
    queue.push(e);
    wake?.();
  });
  const onAbort = (): void => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const snapshot = await runs.get(tenantId, runId);
    yield { kind: 'snapshot', runId, run: snapshot, time: new Date().toISOString() };
    if (isTerminal(snapshot.status)) return;
    while (!signal?.aborted) {
      const next = queue.shift();
      if (!next) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      if (isTerminal(next.kind)) {
        yield { ...next, run: await runs.get(tenantId, runId) };
        return;
      }
      yield next;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}
