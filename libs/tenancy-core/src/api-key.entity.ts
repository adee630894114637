import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TENANCY_SCHEMA } from './tenant.entity';

/** An API key of a tenant. Only the key's SHA-256 is stored; the plaintext is shown once. */
@Entity({ schema: TENANCY_SCHEMA, name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column('text')
  name!: string;

  /** Hex SHA-256 of the plaintext key. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  /** The key's first characters, so a person can tell keys apart in a list. */
  @Column('text')
  prefix!: string;

  /** Roles access policies test (`principal.roles`); `runner` by default. */
  @Column({ type: 'text', array: true, default: () => "'{runner}'" })
  roles!: string[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
