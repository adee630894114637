import type { KeyScope, PayloadCipher } from '@weaver/crypto';
import type { JoinState } from './join-state';
import type { RunRecord, StepRecord } from './run.types';
import type { RunWrite } from './run-writes';
import { sealMemoryWrites } from './memory/memory-fields';

/**
 * Which `runs` columns hold tenant data, sealed under the tenant's data key as a jsonb
 * `{"$enc": "<base64>"}` wrapper (the columns stay jsonb: NULL, COALESCE and the batched
 * `unnest` statements work unchanged; plain rows written before encryption still read). The
 * purpose names the column, so a value copied into another column does not open.
 * Ids, statuses, times, step names, classification and error texts stay plaintext.
 * Everything of a run that names a data subject is sealed under the subject's key, so erasing
 * the subject (destroying that key) shreds its input, outputs, joins, short-term memory and
 * result. Agent memory columns: MEMORY_PURPOSES (memory/memory-fields.ts).
 */
export const RUN_PURPOSES = {
  input: 'runs.runs.input',
  result: 'runs.runs.result',
  stepOutput: 'runs.steps.output',
  joinPart: 'runs.joins.part',
} as const;

/** The key scope of a run's data: its subject's when it names one, else the tenant's. */
export const runScope = (tenantId: string, subjectId?: string | null): KeyScope => (subjectId ? { tenantId, subject: subjectId } : { tenantId });

export class RunFields {
  constructor(private readonly cipher: PayloadCipher) {}

  async sealWrite(tenantId: string, op: RunWrite): Promise<RunWrite> {
    if (!this.cipher.enabled) return op;
    switch (op.kind) {
      case 'createRun':
        return { ...op, run: { ...op.run, input: await this.cipher.sealJson(runScope(tenantId, op.run.subjectId), RUN_PURPOSES.input, op.run.input) } };
      case 'recordStep':
        return {
          ...op,
          step: { ...op.step, output: await this.cipher.sealJson(runScope(tenantId, op.subjectId), RUN_PURPOSES.stepOutput, op.step.output) },
          memory: op.memory && (await sealMemoryWrites(this.cipher, tenantId, op.memory, op.subjectId)),
        };
      case 'transition':
        return op.result === undefined ? op : { ...op, result: await this.cipher.sealJson(runScope(tenantId, op.subjectId), RUN_PURPOSES.result, op.result) };
    }
  }

  async openStep(tenantId: string, step: StepRecord): Promise<StepRecord> {
    return { ...step, output: await this.cipher.openJson(tenantId, RUN_PURPOSES.stepOutput, step.output) };
  }

  async openRun(run: RunRecord): Promise<RunRecord> {
    const t = run.tenantId;
    return {
      ...run,
      input: await this.cipher.openJson(t, RUN_PURPOSES.input, run.input),
      result: await this.cipher.openJson(t, RUN_PURPOSES.result, run.result),
      steps: await Promise.all(run.steps.map((s) => this.openStep(t, s))),
    };
  }

  sealJoinPart(tenantId: string, payload: unknown, subjectId?: string | null): Promise<unknown> {
    return this.cipher.sealJson(runScope(tenantId, subjectId), RUN_PURPOSES.joinPart, payload);
  }

  async openJoin<J extends JoinState>(tenantId: string, join: J): Promise<J> {
    const parts: Record<string, unknown> = {};
    for (const [type, payload] of Object.entries(join.parts)) parts[type] = await this.cipher.openJson(tenantId, RUN_PURPOSES.joinPart, payload);
    return { ...join, parts };
  }
}
