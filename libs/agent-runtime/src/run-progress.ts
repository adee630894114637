import type { RunEvent, RunEventKind } from '@weaver/api-schema';
import { envelopeRecord, newEnvelope, type OutboundRecord, type TopicNames } from '@weaver/messaging';

/**
 * `step.delta` is not part of a step's outcome: streamed LLM text sent while the step runs,
 * outside its transaction, best-effort (see StepDeltas). Everything else commits with the step.
 */
export type RunProgressKind = Exclude<RunEventKind, 'snapshot'>;

/**
 * The payload on `weaver.runs.v1`: the REST RunEvent (@weaver/api-schema, relayed by the
 * gateway's event stream) without what the gateway adds (the run's id from the envelope, its
 * time, the run itself). `delta`/`seq` (step.delta): the text streamed since the previous delta
 * of this step, and its number (from 1).
 */
export type RunProgressEvent = Pick<RunEvent, 'step' | 'agent' | 'durationMs' | 'error' | 'delta' | 'seq'> & { kind: RunProgressKind };

/**
 * A progress event on `weaver.runs.v1`, committed in the same transaction as the step. It
 * carries the run's subject, so its (sealed) payload is under the subject's key like the rest
 * of the run: erasing the subject leaves none of its run's records readable.
 */
export function progressRecord(
  names: TopicNames,
  scope: { tenantId: string; runId: string; workflow: string; producer: string; causationId: string; subjectId?: string },
  event: RunProgressEvent,
): OutboundRecord {
  const env = newEnvelope({
    tenantId: scope.tenantId,
    runId: scope.runId,
    workflow: scope.workflow,
    type: event.kind,
    producer: scope.producer,
    causationId: scope.causationId,
    subjectId: scope.subjectId,
    id: `${scope.causationId}:${event.kind}`,
    payload: event,
  });
  return envelopeRecord(env, names.runs);
}
