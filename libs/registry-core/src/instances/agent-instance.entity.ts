import { Column, Entity, PrimaryColumn } from 'typeorm';
import { REGISTRY_SCHEMA } from '../definitions/agent-definition.entity';
import type { InstanceHealth } from './instance-health';
import type { PartitionRef } from './partition-takeover';

/** A process hosting one agent version; rows stay after deregistration as history. */
@Entity({ schema: REGISTRY_SCHEMA, name: 'agent_instances' })
export class AgentInstanceEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId!: string;

  @Column({ name: 'definition_id', type: 'uuid' })
  definitionId!: string;

  @Column({ name: 'agent_name', type: 'text' })
  agentName!: string;

  @Column({ name: 'agent_version', type: 'text' })
  agentVersion!: string;

  @Column('text')
  host!: string;

  @Column('integer')
  pid!: number;

  @Column('text')
  health!: InstanceHealth;

  @Column({ name: 'drain_requested', type: 'boolean' })
  drainRequested!: boolean;

  @Column({ name: 'in_flight', type: 'integer' })
  inFlight!: number;

  @Column('jsonb')
  partitions!: PartitionRef[];

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz' })
  lastHeartbeatAt!: Date;

  @Column({ name: 'health_changed_at', type: 'timestamptz' })
  healthChangedAt!: Date;

  @Column({ name: 'deregistered_at', type: 'timestamptz', nullable: true })
  deregisteredAt!: Date | null;
}
