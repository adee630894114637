import { randomUUID } from 'node:crypto';
import { envelopeRecord, newEnvelope, type OutboundRecord, type TopicNames } from '@weaver/messaging';
import type { Logger } from '@weaver/observability';
import type { LlmScope } from './ports';
import type { RunProgressEvent } from './run-progress';

/** Where one streamed LLM call of a step sends its text as it arrives. */
export interface DeltaWriter {
  push(text: string): void;
  /** Sends what is buffered and waits (bounded) for every send of this call to finish. */
  close(): Promise<void>;
}

export interface StepDeltaSink {
  open(scope: LlmScope): DeltaWriter;
}

export interface StepDeltasOptions {
  /** The most a delta waits to be sent (default 100 ms). */
  intervalMs?: number;
  /** Characters after which a delta goes at once (default 512, about 100-150 tokens). */
  maxChars?: number;
  /** How long close() waits for the last send (default 2 s): a slow broker must not stall the step. */
  closeTimeoutMs?: number;
}

/**
 * Streamed LLM text on its way to the run's SSE stream, while the step still runs.
 *
 * A step's Kafka outputs are committed in its transaction at the end, so text arriving mid-step
 * cannot go that way. It goes as `step.delta` progress records on the runs topic, produced
 * outside any transaction (read_committed consumers see them at once) — and so it is NOT part of
 * the step's exactly-once outcome: best-effort (a failed send is logged and dropped), at least
 * once (a redelivered step streams its recorded answer again, as one delta). The step's result
 * is what its `step.completed` says.
 *
 * Cost per step is bounded by coalescing: text is buffered per call and sent at most every
 * `intervalMs` or every `maxChars`, never per token; a step that does not stream sends nothing.
 * All steps' deltas share the producer's batched produce requests (EventProducer). The record is
 * keyed by run like every progress record, on the same partition, and close() waits for the last
 * send, so a run's deltas are on the topic before its `step.completed`.
 */
export class StepDeltas implements StepDeltaSink {
  private readonly intervalMs: number;
  private readonly maxChars: number;
  private readonly closeTimeoutMs: number;

  constructor(
    /** Seals and sends, e.g. `(r) => producer.send(await sealer.sealRecords(r))`. */
    private readonly send: (records: OutboundRecord[]) => Promise<void>,
    private readonly names: TopicNames,
    private readonly logger: Logger,
    opts: StepDeltasOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 100;
    this.maxChars = opts.maxChars ?? 512;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 2_000;
  }

  open(scope: LlmScope): DeltaWriter {
    let buffer = '';
    let seq = 0;
    let timer: NodeJS.Timeout | undefined;
    const sends = new Set<Promise<void>>();
    const flush = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (!buffer) return;
      const event: RunProgressEvent = { kind: 'step.delta', step: scope.step, agent: scope.agent, delta: buffer, seq: ++seq };
      buffer = '';
      const p = this.send([this.record(scope, event)]).catch((err: unknown) => this.logger.warn({ err: String(err), runId: scope.runId, step: scope.step }, 'a streamed delta was not sent (best-effort)'));
      sends.add(p);
      void p.finally(() => sends.delete(p));
    };
    return {
      push: (text) => {
        if (!text) return;
        buffer += text;
        if (buffer.length >= this.maxChars) flush();
        else timer ??= setTimeout(flush, this.intervalMs);
      },
      close: async () => {
        flush();
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(sends), new Promise<void>((r) => (bound = setTimeout(r, this.closeTimeoutMs)))]);
        clearTimeout(bound);
      },
    };
  }

  private record(scope: LlmScope, event: RunProgressEvent): OutboundRecord {
    const env = newEnvelope({
      tenantId: scope.tenantId,
      runId: scope.runId,
      workflow: scope.workflow,
      type: event.kind,
      producer: scope.agent,
      subjectId: scope.subjectId,
      // Best-effort records need no stable id: nothing deduplicates them.
      id: randomUUID(),
      payload: event,
    });
    return envelopeRecord(env, this.names.runs);
  }
}
