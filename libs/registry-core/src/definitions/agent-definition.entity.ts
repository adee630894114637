import { Column, Entity, PrimaryColumn } from 'typeorm';

export const REGISTRY_SCHEMA = 'registry';

/** A JSON Schema document as jsonb holds it (mutable shape, as TypeORM's insert types want). */
type StoredJsonSchema = boolean | Record<string, unknown>;

/**
 * One immutable version of an agent definition. `is_latest` marks the newest version per
 * (tenant, name) so discovery reads one row per agent; it moves only under the registration lock.
 */
@Entity({ schema: REGISTRY_SCHEMA, name: 'agent_definitions' })
export class AgentDefinitionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** null = platform-wide. */
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column('text')
  name!: string;

  @Column('text')
  version!: string;

  @Column({ name: 'is_latest', type: 'boolean' })
  isLatest!: boolean;

  @Column('text')
  description!: string;

  @Column('text', { array: true })
  capabilities!: string[];

  @Column('text', { array: true })
  requires!: string[];

  @Column('text', { array: true })
  publishes!: string[];

  @Column({ name: 'input_schema', type: 'jsonb' })
  inputSchema!: StoredJsonSchema;

  @Column({ name: 'output_schema', type: 'jsonb' })
  outputSchema!: StoredJsonSchema;

  @Column({ name: 'max_concurrency', type: 'integer' })
  maxConcurrency!: number;

  @Column({ name: 'timeout_ms', type: 'integer' })
  timeoutMs!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
