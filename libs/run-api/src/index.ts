/**
 * @weaver/run-api — the run operations behind the gateway's REST and gRPC surfaces:
 * `RunService` (start, get, list, result — per tenant), `RunEventsHub` + `followRun` (live
 * progress from `weaver.runs.v1`, snapshot first), the public `RunView` shapes, and the
 * trigger path that leaves no run hanging: `TriggerSender` (send with a deadline, settle the
 * outbox entry) and `TriggerRelay` (re-sends triggers nobody confirmed).
 */
export * from './run-view';
export * from './run-service';
export * from './intake-limits';
export * from './run-events.hub';
export * from './run-stream';
export * from './trigger-sender';
export * from './trigger-relay';
