/**
 * Whether this process exports traces. Checked before any span work on hot paths (a step, a
 * produced record): with tracing off a step pays this one read and nothing else.
 */
let on = false;

export const isTracing = (): boolean => on;

/** Set by `startTracing` once the provider is registered. */
export function markTracingOn(): void {
  on = true;
}
