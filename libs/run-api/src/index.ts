/**
 * @weaver/run-api — the run operations behind the gateway's REST and gRPC surfaces:
 * `RunService` (start, get, list, result — per tenant), `RunEventsHub` + `followRun` (live
 * progress from `weaver.runs.v1`, snapshot first), and the public `RunView` shapes.
 */
export * from './run-view';
export * from './run-service';
export * from './run-events.hub';
export * from './run-stream';
