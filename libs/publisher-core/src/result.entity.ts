import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PUBLISHER_SCHEMA = 'publisher';

/** One stored result, at most one per (tenant, run, step): the primary key is the idempotency key. */
@Entity({ schema: PUBLISHER_SCHEMA, name: 'results' })
export class ResultEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @PrimaryColumn({ name: 'run_id', type: 'text' })
  runId!: string;

  @PrimaryColumn('text')
  step!: string;

  @Column('text')
  uri!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes!: number;

  /** Hex SHA-256 of the stored bytes; checked again on every read. */
  @Column('text')
  sha256!: string;

  @Column({ type: 'text', array: true })
  classification!: string[];

  /** Which store holds the object ("filesystem", "s3"). */
  @Column('text')
  store!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
