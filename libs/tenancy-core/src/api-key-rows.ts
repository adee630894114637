import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { FailedPreconditionError, NotFoundError, ValidationError } from '@weaver/errors';
import { ApiKeyEntity } from './api-key.entity';
import { issueApiKey } from './api-key';

/** An API key as an admin sees it: never its secret or hash. */
export interface ApiKeyInfo {
  readonly keyId: string;
  readonly name: string;
  readonly prefix: string;
  readonly roles: readonly string[];
  readonly createdAt: Date;
  /** null while valid; in the future while a rotation's grace period runs. */
  readonly revokedAt: Date | null;
}

export interface IssuedKey {
  /** Plaintext, shown to the caller once; only its hash is stored. */
  readonly apiKey: string;
  readonly keyId: string;
}

/** The longest grace period a rotation gives the old key: a week. */
export const MAX_ROTATION_GRACE_SECONDS = 604_800;

export const keyInfoOf = (row: ApiKeyEntity): ApiKeyInfo => ({ keyId: row.id, name: row.name, prefix: row.prefix, roles: row.roles, createdAt: row.createdAt, revokedAt: row.revokedAt });

/** A key still resolves until its revocation time (a rotation's grace period puts it in the future). */
export const keyResolvesAt = (revokedAt: Date | null, now: number): boolean => revokedAt === null || revokedAt.getTime() > now;

export async function insertApiKey(em: EntityManager, tenantId: string, name: string, roles: readonly string[]): Promise<IssuedKey & { row: ApiKeyEntity }> {
  const key = issueApiKey();
  const row: ApiKeyEntity = Object.assign(new ApiKeyEntity(), { id: randomUUID(), tenantId, name, keyHash: key.hash, prefix: key.prefix, roles: [...roles], createdAt: new Date(), revokedAt: null });
  await em.insert(ApiKeyEntity, row);
  return { apiKey: key.plaintext, keyId: row.id, row };
}

/** The tenant's keys, newest first; revoked ones only when asked (a key in its grace period is listed). */
export async function listApiKeys(em: EntityManager, includeRevoked: boolean): Promise<ApiKeyInfo[]> {
  const rows = await em.find(ApiKeyEntity, { order: { createdAt: 'DESC', id: 'ASC' } });
  const now = Date.now();
  return rows.filter((r) => includeRevoked || keyResolvesAt(r.revokedAt, now)).map(keyInfoOf);
}

/**
 * A new key with the old one's name and roles; the old one stops resolving now, or after
 * `graceSeconds` (its revoked_at set in the future), so clients can switch without an outage.
 * Only a key not yet revoked or rotated can be rotated: a retry fails instead of minting a
 * second replacement.
 */
export async function rotateApiKey(em: EntityManager, keyId: string, graceSeconds: number): Promise<{ issued: IssuedKey; key: ApiKeyInfo; replaced: ApiKeyInfo }> {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_SECONDS) {
    throw new ValidationError([{ field: 'gracePeriodSeconds', rule: `must be an integer from 0 to ${MAX_ROTATION_GRACE_SECONDS}` }], 'key rotation');
  }
  const old = await em.findOne(ApiKeyEntity, { where: { id: keyId }, lock: { mode: 'pessimistic_write' } });
  if (old === null) throw new NotFoundError('api key', keyId);
  if (old.revokedAt !== null) throw new FailedPreconditionError(`api key ${keyId} is already revoked or rotated`, { keyId, revokedAt: old.revokedAt.toISOString() });
  const issued = await insertApiKey(em, old.tenantId, old.name, old.roles);
  const revokedAt = new Date(Date.now() + graceSeconds * 1000);
  await em.update(ApiKeyEntity, { id: keyId }, { revokedAt });
  return { issued: { apiKey: issued.apiKey, keyId: issued.keyId }, key: keyInfoOf(issued.row), replaced: keyInfoOf({ ...old, revokedAt }) };
}
