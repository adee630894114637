import { FailedPreconditionError, ValidationError } from '@weaver/errors';
import {
  assertHealthTiming,
  HEALTH_TRANSITIONS,
  healthAfterHeartbeat,
  healthAfterSilence,
  INSTANCE_HEALTHS,
  nextHealth,
  type HealthEvent,
  type InstanceHealth,
} from './instance-health';

const timing = { suspectAfterMs: 1_000, deadAfterMs: 5_000 };
const EVENTS: HealthEvent[] = ['heartbeat', 'heartbeat-late', 'heartbeat-lost', 'drain', 'deregister'];

describe('instance health state machine', () => {
  const legal: Array<[InstanceHealth, HealthEvent, InstanceHealth]> = [
    ['healthy', 'heartbeat', 'healthy'],
    ['healthy', 'heartbeat-late', 'suspect'],
    ['healthy', 'drain', 'draining'],
    ['healthy', 'deregister', 'deregistered'],
    ['suspect', 'heartbeat', 'healthy'],
    ['suspect', 'heartbeat-lost', 'dead'],
    ['suspect', 'drain', 'draining'],
    ['suspect', 'deregister', 'deregistered'],
    ['dead', 'heartbeat', 'healthy'],
    ['dead', 'deregister', 'deregistered'],
    ['draining', 'heartbeat', 'draining'],
    ['draining', 'heartbeat-lost', 'dead'],
    ['draining', 'drain', 'draining'],
    ['draining', 'deregister', 'deregistered'],
  ];

  it.each(legal)('%s --%s--> %s', (from, event, to) => {
    expect(nextHealth('i-1', from, event)).toBe(to);
  });

  it('refuses every transition not in the table', () => {
    const illegal = INSTANCE_HEALTHS.flatMap((from) => EVENTS.filter((e) => !legal.some(([f, ev]) => f === from && ev === e)).map((e) => [from, e] as const));
    expect(illegal).toHaveLength(INSTANCE_HEALTHS.length * EVENTS.length - legal.length);
    for (const [from, event] of illegal) {
      expect(() => nextHealth('i-1', from, event)).toThrow(FailedPreconditionError);
    }
    expect(() => nextHealth('i-1', 'dead', 'drain')).toThrow('instance i-1 is dead: "drain" is not allowed in that state');
    expect(Object.keys(HEALTH_TRANSITIONS.deregistered)).toEqual([]);
  });

  it.each<[InstanceHealth, number, InstanceHealth]>([
    ['healthy', 1_000, 'healthy'],
    ['healthy', 1_001, 'suspect'],
    ['healthy', 5_001, 'dead'],
    ['suspect', 4_000, 'suspect'],
    ['suspect', 5_001, 'dead'],
    ['draining', 4_000, 'draining'],
    ['draining', 5_001, 'dead'],
    ['dead', 60_000, 'dead'],
  ])('%s silent for %ims becomes %s', (from, silentFor, to) => {
    expect(healthAfterSilence('i-1', from, silentFor, timing)).toBe(to);
  });

  it('brings late and dead instances back on a heartbeat, into draining when a drain is pending', () => {
    expect(healthAfterHeartbeat('i-1', 'suspect', false)).toBe('healthy');
    expect(healthAfterHeartbeat('i-1', 'dead', false)).toBe('healthy');
    expect(healthAfterHeartbeat('i-1', 'healthy', true)).toBe('draining');
    expect(healthAfterHeartbeat('i-1', 'dead', true)).toBe('draining');
    expect(() => healthAfterHeartbeat('i-1', 'deregistered', false)).toThrow(FailedPreconditionError);
  });

  it('validates timing', () => {
    expect(() => assertHealthTiming({ suspectAfterMs: 0, deadAfterMs: 0 })).toThrow(ValidationError);
    expect(() => assertHealthTiming({ suspectAfterMs: 5_000, deadAfterMs: 5_000 })).toThrow('deadAfterMs: must be an integer greater than suspectAfterMs');
  });
});
