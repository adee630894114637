/**
 * Failures a provider wire server can be told to produce, each rendered in that provider's own
 * status code, headers and error body.
 */
export type WireFault =
  | { type: 'rate-limit'; retryAfterS?: number }
  | { type: 'server-error' }
  | { type: 'overloaded' }
  | { type: 'unauthorized' }
  | { type: 'context-overflow' }
  /** Answer normally, but only after `delayMs` (for timeouts). */
  | { type: 'slow'; delayMs: number }
  /** Start a stream, send a few deltas, then an in-stream error event. */
  | { type: 'mid-stream-error' };

/** A provider-specific error response. */
export interface WireError {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}
