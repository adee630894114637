import { createPublicKey } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { assertUuid, withTenant } from '@weaver/persistence';
import { jwkThumbprint, type PublicJwk } from '@weaver/sdk';
import { TenantEntity } from './tenant.entity';
import { TriggerKeyEntity } from './trigger-key.entity';

export interface TriggerKey {
  readonly keyId: string;
  readonly publicJwk: PublicJwk;
  readonly name: string;
  readonly createdAt: Date;
}

const toKey = (row: TriggerKeyEntity): TriggerKey => ({ keyId: row.keyId, publicJwk: row.publicJwk, name: row.name, createdAt: row.createdAt });

/** The public Ed25519 JWK in `json`, or a ValidationError naming what is wrong (a private key is refused). */
export function parsePublicJwk(json: string): PublicJwk {
  const bad = (rule: string) => new ValidationError([{ field: 'publicJwk', rule }], 'trigger key');
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw bad('must be a JSON Web Key');
  }
  if (jwk === null || typeof jwk !== 'object') throw bad('must be a JSON Web Key');
  if ('d' in jwk) throw bad('is a private key: register the public key only (without "d")');
  if (jwk['kty'] !== 'OKP' || jwk['crv'] !== 'Ed25519' || typeof jwk['x'] !== 'string') throw bad('must be an Ed25519 public key: {"kty":"OKP","crv":"Ed25519","x":"..."}');
  const key: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk['x'] };
  try {
    createPublicKey({ key: { ...key }, format: 'jwk' });
  } catch {
    throw bad('"x" is not an Ed25519 public key');
  }
  return key;
}

/** Tenants' trigger-signing public keys (tenancy.trigger_keys), always inside the tenant's RLS scope. */
export class TriggerKeyStore {
  constructor(private readonly ds: DataSource) {}

  async register(tenantId: string, publicJwkJson: string, name: string): Promise<TriggerKey> {
    assertUuid(tenantId, 'tenantId');
    const publicJwk = parsePublicJwk(publicJwkJson);
    const label = typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : 'default';
    const keyId = jwkThumbprint(publicJwk);
    return withTenant(this.ds, tenantId, async (em) => {
      if (!(await em.existsBy(TenantEntity, { id: tenantId }))) throw new NotFoundError('tenant', tenantId);
      // The same key again is the same key: idempotent, and a revoked key comes back only if re-registered.
      await em.query(
        `INSERT INTO tenancy.trigger_keys (tenant_id, key_id, public_jwk, name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, key_id) DO UPDATE SET revoked_at = NULL`,
        [tenantId, keyId, JSON.stringify(publicJwk), label],
      );
      return toKey(await em.findOneByOrFail(TriggerKeyEntity, { tenantId, keyId }));
    });
  }

  async revoke(tenantId: string, keyId: string): Promise<void> {
    assertUuid(tenantId, 'tenantId');
    await withTenant(this.ds, tenantId, async (em) => {
      const row = await em.findOneBy(TriggerKeyEntity, { tenantId, keyId: String(keyId) });
      if (row === null) throw new NotFoundError('trigger key', String(keyId));
      if (row.revokedAt === null) await em.update(TriggerKeyEntity, { tenantId, keyId }, { revokedAt: new Date() });
    });
  }

  /** The tenant's active keys; NotFoundError when the tenant does not exist. */
  async list(tenantId: string): Promise<TriggerKey[]> {
    assertUuid(tenantId, 'tenantId');
    return withTenant(this.ds, tenantId, async (em) => {
      if (!(await em.existsBy(TenantEntity, { id: tenantId }))) throw new NotFoundError('tenant', tenantId);
      const rows = await em.find(TriggerKeyEntity, { where: { tenantId }, order: { createdAt: 'ASC' } });
      return rows.filter((r) => r.revokedAt === null).map(toKey);
    });
  }
}
