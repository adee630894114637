import { LIVE_HEALTHS, type InstanceHealth } from './instance-health';

export interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionTakeover {
  readonly partition: PartitionRef;
  /** The live instance of the same agent whose heartbeats now report this partition. */
  readonly byInstanceId: string;
}

export interface InstancePartitions {
  readonly instanceId: string;
  readonly agent: string;
  readonly health: InstanceHealth;
  readonly partitions: readonly PartitionRef[];
  readonly lastHeartbeatAt: Date;
}

export interface PartitionOwnership {
  /** Partitions still attributed to the instance: all of a live one's; a dead one's that nobody took. */
  readonly partitions: PartitionRef[];
  /** A dead instance's partitions that survivors of the same agent (consumer group) now report. */
  readonly takenOver: PartitionTakeover[];
}

const keyOf = (p: PartitionRef) => `${p.topic}\u0000${p.partition}`;

/**
 * Who owns which partition, as the registry can tell from heartbeats alone. Kafka reassigns a
 * dead member's partitions when its session times out; the registry learns that only when a
 * survivor's heartbeat reports them, so until then the dead instance keeps showing them.
 */
export function partitionOwnership(instances: readonly InstancePartitions[]): Map<string, PartitionOwnership> {
  const owner = new Map<string, InstancePartitions>();
  for (const i of instances) {
    if (!LIVE_HEALTHS.has(i.health)) continue;
    for (const p of i.partitions) {
      const key = `${i.agent}\u0000${keyOf(p)}`;
      const current = owner.get(key);
      // During a rebalance two members may briefly report one partition: the fresher report wins.
      if (current === undefined || current.lastHeartbeatAt < i.lastHeartbeatAt) owner.set(key, i);
    }
  }
  const result = new Map<string, PartitionOwnership>();
  for (const i of instances) {
    if (LIVE_HEALTHS.has(i.health)) {
      result.set(i.instanceId, { partitions: [...i.partitions], takenOver: [] });
      continue;
    }
    const kept: PartitionRef[] = [];
    const takenOver: PartitionTakeover[] = [];
    for (const p of i.partitions) {
      const by = owner.get(`${i.agent}\u0000${keyOf(p)}`);
      if (by === undefined) kept.push(p);
      else takenOver.push({ partition: p, byInstanceId: by.instanceId });
    }
    result.set(i.instanceId, { partitions: kept, takenOver });
  }
  return result;
}
