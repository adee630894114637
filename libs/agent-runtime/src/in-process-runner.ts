import { randomUUID } from 'node:crypto';
import { EnvelopeSealer, envelopeRecord, EventProducer, newEnvelope, type KafkaConnection } from '@weaver/messaging';
import { RunFailedError, type RunProgress, type WorkflowRunner } from '@weaver/sdk';
import type { AgentHost, RunProgressNotice } from './agent-host';

export interface InProcessRunnerOptions {
  host: AgentHost;
  /** Seals the trigger's payload (the host's sealer, so both agree on keys). */
  sealer?: EnvelopeSealer;
  kafka: KafkaConnection;
  /** Reads a run's result once it completed (RunStore implements it). */
  runs: { getRun(tenantId: string, runId: string): Promise<{ result: unknown } | undefined> };
  /** The tenant runs are started for. */
  tenantId: string;
}

/**
 * `workflow.run(input)` without the gateway: writes the run request to the host's triggers
 * topic (the same path as any Kafka producer) and follows the run through the host's own
 * progress notices. For tests and single-process development, where the agents of the workflow
 * run in this process; everything else uses `WeaverClient`.
 */
export class InProcessRunner implements WorkflowRunner {
  private readonly producer: EventProducer;

  constructor(private readonly opts: InProcessRunnerOptions) {
    this.producer = new EventProducer(opts.kafka);
  }

  async run(workflow: string, input: unknown, onProgress?: (p: RunProgress) => void): Promise<unknown> {
    const runId = randomUUID();
    const { tenantId } = this.opts;
    let unsubscribe = (): void => undefined;
    // Subscribe before the trigger is written, so no notice can come first.
    const ended = new Promise<unknown>((resolve, reject) => {
      unsubscribe = this.opts.host.onProgress((n: RunProgressNotice) => {
        if (n.tenantId !== tenantId || n.runId !== runId) return;
        // The SDK's progress has no cancel (issue 12: cancel is an admin API action); the run ends here.
        if (n.kind === 'run.cancelled') return reject(new RunFailedError(runId, n.step ?? 'cancel', 'the run was cancelled'));
        onProgress?.({ kind: n.kind, runId, step: n.step, agent: n.agent, durationMs: n.durationMs, error: n.error, time: new Date().toISOString() });
        if (n.kind === 'run.failed') reject(new RunFailedError(runId, n.step ?? 'unknown', n.error ?? 'failed'));
        if (n.kind === 'run.completed') this.opts.runs.getRun(tenantId, runId).then((r) => resolve(r?.result), reject);
      });
    });
    try {
      const trigger = newEnvelope({ tenantId, runId, workflow, type: 'run.requested', producer: 'in-process-runner', payload: { input } });
      await this.producer.send(await (this.opts.sealer ?? new EnvelopeSealer()).sealRecords([envelopeRecord(trigger, this.opts.host.names.triggers)]));
      return await ended;
    } finally {
      unsubscribe();
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
