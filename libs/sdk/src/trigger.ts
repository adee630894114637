import { ValidationError } from '@weaver/errors';
import { parseCron } from './cron-schedule';

/**
 * How a workflow's runs start, besides an explicit `workflow.run(input)`:
 * - `schedule`: the agent-runner's scheduler starts one run per tick (exactly once across
 *   replicas) with input `{ scheduledAt: "<tick, ISO>", ...input }`.
 * - `http` / `grpc`: the gateway's `POST /v1/runs` and `StartRun` (always available; declaring
 *   them documents that the workflow is meant to be started that way).
 * - `kafka`: every record on `topic` starts one run (exactly once); the record's JSON value is
 *   the input and its tenant comes from the `weaver-tenant` header or a `tenantId` field.
 */
export type Trigger = ScheduleTrigger | HttpTrigger | GrpcTrigger | KafkaTrigger;

/** Runs on a schedule (`schedule:<cron|alias>`). */
export interface ScheduleTrigger {
  /** Always `schedule`. */
  kind: 'schedule';
  /** The cron expression (5 fields, or 6 with seconds). */
  cron: string;
  /** Fields added to every scheduled run's input (besides `scheduledAt`). */
  input?: Record<string, unknown>;
}

/** Runs started over REST (`POST /v1/runs`). */
export interface HttpTrigger {
  /** Always `http`. */
  kind: 'http';
  /** Reserved: the gateway's path for the workflow (today always `POST /v1/runs`). */
  path?: string;
}

/** Runs started over gRPC (`StartRun`). */
export interface GrpcTrigger {
  /** Always `grpc`. */
  kind: 'grpc';
}

/** One run per record of a Kafka topic (`kafka:<topic>`). */
export interface KafkaTrigger {
  /** Always `kafka`. */
  kind: 'kafka';
  /** The topic whose records start runs. */
  topic: string;
}

const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Parses the string form users write: `"schedule:quarterly"`, `"schedule:*\/5 * * * *"`,
 * `"schedule:*\/10 * * * * *"` (seconds), `"http"`, `"grpc"`, `"kafka:orders.created"`.
 * The object form is checked the same way.
 */
export function parseTrigger(spec: string | Trigger): Trigger {
  if (typeof spec !== 'string') return checkTrigger(spec);
  const at = spec.indexOf(':');
  const kind = at < 0 ? spec : spec.slice(0, at);
  const arg = at < 0 ? '' : spec.slice(at + 1).trim();
  switch (kind) {
    case 'schedule':
      return { kind: 'schedule', cron: parseCron(arg, 'trigger.schedule') };
    case 'http':
      return { kind: 'http', path: arg || undefined };
    case 'grpc':
      return { kind: 'grpc' };
    case 'kafka':
      return checkTrigger({ kind: 'kafka', topic: arg });
    default:
      throw new ValidationError([{ field: 'trigger', rule: `"${spec}": kind must be schedule, http, grpc or kafka (e.g. "schedule:daily", "kafka:orders.created")` }], 'trigger');
  }
}

function checkTrigger(t: Trigger): Trigger {
  switch (t.kind) {
    case 'schedule': {
      const input = t.input;
      if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
        throw new ValidationError([{ field: 'trigger.input', rule: 'must be an object (it is merged with { scheduledAt })' }], 'trigger');
      }
      return { kind: 'schedule', cron: parseCron(t.cron, 'trigger.schedule'), input };
    }
    case 'kafka':
      if (!TOPIC.test(t.topic)) throw new ValidationError([{ field: 'trigger.kafka', rule: `needs a Kafka topic name ([a-zA-Z0-9._-], e.g. "kafka:orders.created"), got "${t.topic}"` }], 'trigger');
      return t;
    case 'http':
    case 'grpc':
      return t;
  }
}
