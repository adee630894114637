import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TENANCY_SCHEMA } from './tenant.entity';

/** A public key a tenant signs its `kafka:` triggers with (Ed25519 JWK). Only public keys are stored. */
@Entity({ schema: TENANCY_SCHEMA, name: 'trigger_keys' })
export class TriggerKeyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** RFC 7638 thumbprint: the `kid` in a signed trigger's header. */
  @PrimaryColumn({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: { kty: 'OKP'; crv: 'Ed25519'; x: string };

  @Column('text')
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
