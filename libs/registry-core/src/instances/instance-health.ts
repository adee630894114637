import { FailedPreconditionError, ValidationError } from '@weaver/errors';

/**
 * Health of an agent instance as an explicit state machine: every change goes through
 * `nextHealth`, which only follows the table below (kafkajs guards its transaction states the
 * same way), so no code path can invent a transition.
 *
 *   healthy  --heartbeat-late--> suspect --heartbeat-lost--> dead
 *   suspect  --heartbeat-------> healthy        dead --heartbeat--> healthy (it came back)
 *   healthy/suspect --drain----> draining --deregister--> deregistered
 *   draining --heartbeat-lost--> dead           (crashed while draining)
 */
export type InstanceHealth = 'healthy' | 'suspect' | 'dead' | 'draining' | 'deregistered';
export const INSTANCE_HEALTHS: readonly InstanceHealth[] = ['healthy', 'suspect', 'dead', 'draining', 'deregistered'];

export type HealthEvent = 'heartbeat' | 'heartbeat-late' | 'heartbeat-lost' | 'drain' | 'deregister';

export const HEALTH_TRANSITIONS: Readonly<Record<InstanceHealth, Readonly<Partial<Record<HealthEvent, InstanceHealth>>>>> = {
  healthy: { heartbeat: 'healthy', 'heartbeat-late': 'suspect', drain: 'draining', deregister: 'deregistered' },
  suspect: { heartbeat: 'healthy', 'heartbeat-lost': 'dead', drain: 'draining', deregister: 'deregistered' },
  dead: { heartbeat: 'healthy', deregister: 'deregistered' },
  draining: { heartbeat: 'draining', 'heartbeat-lost': 'dead', drain: 'draining', deregister: 'deregistered' },
  deregistered: {},
};

/** States whose instance may still be consuming: they own the partitions they report. */
export const LIVE_HEALTHS: ReadonlySet<InstanceHealth> = new Set(['healthy', 'suspect', 'draining']);

export class IllegalHealthTransitionError extends FailedPreconditionError {
  constructor(instanceId: string, from: InstanceHealth, event: HealthEvent) {
    super(`instance ${instanceId} is ${from}: "${event}" is not allowed in that state`, { instanceId, from, event });
  }
}

export function canTransition(from: InstanceHealth, event: HealthEvent): boolean {
  return HEALTH_TRANSITIONS[from][event] !== undefined;
}

export function nextHealth(instanceId: string, from: InstanceHealth, event: HealthEvent): InstanceHealth {
  const to = HEALTH_TRANSITIONS[from][event];
  if (to === undefined) throw new IllegalHealthTransitionError(instanceId, from, event);
  return to;
}

/** How long silence is tolerated. Heartbeat intervals should be well below `suspectAfterMs`. */
export interface HealthTiming {
  readonly suspectAfterMs: number;
  readonly deadAfterMs: number;
}

export function assertHealthTiming(timing: HealthTiming): HealthTiming {
  const violations = [];
  if (!Number.isInteger(timing.suspectAfterMs) || timing.suspectAfterMs <= 0) violations.push({ field: 'suspectAfterMs', rule: 'must be a positive integer' });
  if (!Number.isInteger(timing.deadAfterMs) || timing.deadAfterMs <= timing.suspectAfterMs) violations.push({ field: 'deadAfterMs', rule: 'must be an integer greater than suspectAfterMs' });
  if (violations.length > 0) throw new ValidationError(violations, 'health timing');
  return timing;
}

/**
 * The state an instance reaches after `silentForMs` without a heartbeat, following only legal
 * transitions: a healthy instance silent past deadAfterMs passes through suspect to dead in one
 * sweep; a draining one is left alone while merely late (it is finishing work) but not when lost.
 */
export function healthAfterSilence(instanceId: string, from: InstanceHealth, silentForMs: number, timing: HealthTiming): InstanceHealth {
  let health = from;
  if (silentForMs > timing.suspectAfterMs && canTransition(health, 'heartbeat-late')) health = nextHealth(instanceId, health, 'heartbeat-late');
  if (silentForMs > timing.deadAfterMs && canTransition(health, 'heartbeat-lost')) health = nextHealth(instanceId, health, 'heartbeat-lost');
  return health;
}

/** The state after a heartbeat arrives: alive again, and draining if a drain was requested. */
export function healthAfterHeartbeat(instanceId: string, from: InstanceHealth, drainRequested: boolean): InstanceHealth {
  const alive = nextHealth(instanceId, from, 'heartbeat');
  return drainRequested && alive !== 'draining' ? nextHealth(instanceId, alive, 'drain') : alive;
}
