/**
 * Status conditions of an AgentPool (Ready, Reconciling, Degraded), in the Kubernetes form:
 * a condition's lastTransitionTime changes only when its status does, so a resync that finds
 * nothing new writes nothing.
 */
import type { AgentPoolStatus, ConditionType, PoolCondition, PoolPhase } from './agent-pool.schema';

export interface PhaseOutcome {
  phase: PoolPhase;
  generation: number;
  /** Why (CamelCase) and what, for Degraded; for the others a fixed sentence is used. */
  reason?: string;
  message?: string;
}

type Wanted = Pick<PoolCondition, 'type' | 'status' | 'reason' | 'message'>;

function wanted(o: PhaseOutcome): Wanted[] {
  const failure = { reason: o.reason ?? 'ReconcileFailed', message: o.message ?? '' };
  switch (o.phase) {
    case 'Ready':
      return [
        { type: 'Ready', status: 'True', reason: 'ChildrenApplied', message: 'Deployment and ScaledObject match the spec' },
        { type: 'Reconciling', status: 'False', reason: 'UpToDate', message: 'nothing to apply' },
        { type: 'Degraded', status: 'False', reason: 'ChildrenApplied', message: 'no failure' },
      ];
    case 'Degraded':
      return [
        { type: 'Ready', status: 'False', ...failure },
        { type: 'Reconciling', status: 'False', reason: 'RetryingWithBackoff', message: 'the controller retries with backoff, or waits for a spec change' },
        { type: 'Degraded', status: 'True', ...failure },
      ];
    case 'Deleting':
      return [
        { type: 'Ready', status: 'False', reason: 'Deleting', message: 'deleting the Deployment and ScaledObject' },
        { type: 'Reconciling', status: 'True', reason: 'Deleting', message: 'deleting the Deployment and ScaledObject' },
        { type: 'Degraded', status: 'False', reason: 'Deleting', message: 'no failure' },
      ];
    default:
      return [
        { type: 'Ready', status: 'False', reason: 'Reconciling', message: `applying generation ${o.generation}` },
        { type: 'Reconciling', status: 'True', reason: 'GenerationChanged', message: `applying generation ${o.generation}` },
        { type: 'Degraded', status: 'False', reason: 'Reconciling', message: 'no failure' },
      ];
  }
}

export function conditionsFor(previous: readonly PoolCondition[] | undefined, o: PhaseOutcome, now: Date): PoolCondition[] {
  return wanted(o).map((w) => {
    const before = previous?.find((c) => c.type === w.type);
    const lastTransitionTime = before && before.status === w.status ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { ...w, lastTransitionTime, observedGeneration: o.generation };
  });
}

/** Whether two statuses say the same (the API server returns keys sorted, we write them in any order). */
export function sameStatus(a: AgentPoolStatus | undefined, b: AgentPoolStatus): boolean {
  return canonical(a ?? {}) === canonical(b);
}

const ORDER: readonly ConditionType[] = ['Ready', 'Reconciling', 'Degraded'];

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.every(isCondition) ? [...value].sort((x, y) => ORDER.indexOf(x.type) - ORDER.indexOf(y.type)) : value;
    return `[${items.map(canonical).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const isCondition = (v: unknown): v is PoolCondition => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
