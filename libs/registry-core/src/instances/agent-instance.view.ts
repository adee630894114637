import type { AgentInstanceEntity } from './agent-instance.entity';
import type { InstanceHealth } from './instance-health';
import type { PartitionOwnership } from './partition-takeover';

/** An instance as discovery shows it. */
export interface AgentInstanceView {
  readonly instanceId: string;
  readonly agent: string;
  readonly agentVersion: string;
  readonly host: string;
  readonly pid: number;
  readonly health: InstanceHealth;
  readonly drainRequested: boolean;
  readonly inFlight: number;
  /** What the instance owns as far as the registry can tell (see partitionOwnership). */
  readonly partitions: PartitionOwnership['partitions'];
  readonly takenOver: PartitionOwnership['takenOver'];
  readonly registeredAt: Date;
  readonly lastHeartbeatAt: Date;
  readonly healthChangedAt: Date;
}

export function toView(r: AgentInstanceEntity, owned: PartitionOwnership): AgentInstanceView {
  return {
    instanceId: r.instanceId,
    agent: r.agentName,
    agentVersion: r.agentVersion,
    host: r.host,
    pid: r.pid,
    health: r.health,
    drainRequested: r.drainRequested,
    inFlight: r.inFlight,
    partitions: owned.partitions,
    takenOver: owned.takenOver,
    registeredAt: r.registeredAt,
    lastHeartbeatAt: r.lastHeartbeatAt,
    healthChangedAt: r.healthChangedAt,
  };
}
