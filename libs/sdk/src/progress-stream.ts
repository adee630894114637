import type { RunProgress, WorkflowRunner } from './run-progress';

/**
 * A run's progress as an async iterator, on any `WorkflowRunner`: yields each event as it comes
 * and ends after the run ends; a failed run makes the iteration throw its `RunFailedError`
 * after the events before it were yielded. Breaking out of the loop stops listening (the run
 * itself goes on: it belongs to the platform now).
 */
export async function* streamRun(runner: WorkflowRunner, workflow: string, input: unknown): AsyncGenerator<RunProgress, unknown> {
  const queue: RunProgress[] = [];
  let wake: (() => void) | undefined;
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  void runner
    .run(workflow, input, (p) => {
      queue.push(p);
      notify();
    })
    .then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    )
    .finally(notify);
  for (;;) {
    const next = queue.shift();
    if (next) {
      yield next;
      continue;
    }
    if (outcome) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    await new Promise<void>((r) => (wake = r));
  }
}
