/**
 * @weaver/run-api — the run operations behind the gateway's REST and gRPC surfaces:
 * `RunService` (start, get, list, result — per tenant), `RunEventsHub` + `followRun` (live
 * progress from `weaver.runs.v1`, snapshot first), the public `RunView` shapes, and the
 * trigger path that leaves no run hanging: `TriggerSender` (send with a deadline, settle the
 * outbox entry) and `TriggerRelay` (re-sends triggers nobody confirmed); `RunAdmin` (pages,
 * cancel, retry) and `DeadLetterAdmin` (list, inspect, replay once, discard).
 */
export * from './run-view';
export * from './run-service';
export * from './intake-limits';
export * from './run-events.hub';
export * from './run-stream';
export * from './trigger-sender';
export * from './trigger-relay';
// Issue 12 item 2: the run admin (list pages, cancel, retry) and the dead letters.
export * from './run-admin';
export * from './dead-letter-admin';
export * from './dead-letter-ids';
export * from './dead-letter-selection';
