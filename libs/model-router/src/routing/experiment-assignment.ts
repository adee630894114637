import { createHash } from 'node:crypto';
import type { ExperimentConfig } from '../catalog/models-file.schema';

export interface ArmAssignment {
  experiment: string;
  arm: string;
  model: string;
}

/** A stable number in [0, 1) for a string (first 48 bits of SHA-256). */
export function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The arm of the first experiment matching the workflow/agent. Assignment hashes the run id
 * with the experiment name, so every step of one run sees the same arm (sticky), runs split in
 * proportion to the weights, and different experiments split independently.
 */
export function assignArm(experiments: ExperimentConfig[], workflow: string, agent: string, runId: string): ArmAssignment | undefined {
  const exp = experiments.find((e) => (e.workflow === undefined || e.workflow === workflow) && (e.agent === undefined || e.agent === agent));
  if (!exp) return undefined;
  const total = exp.arms.reduce((n, a) => n + a.weight, 0);
  let point = unitHash(`${exp.name}\u0000${runId}`) * total;
  for (const arm of exp.arms) {
    point -= arm.weight;
    if (point < 0) return { experiment: exp.name, arm: arm.name, model: arm.model };
  }
  const last = exp.arms[exp.arms.length - 1]!;
  return { experiment: exp.name, arm: last.name, model: last.model };
}
