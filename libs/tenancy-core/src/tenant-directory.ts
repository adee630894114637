import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { NotFoundError, UnauthenticatedError, ValidationError, type FieldViolation } from '@weaver/errors';
import { assertUuid, withSettings, withTenant } from '@weaver/persistence';

import { ApiKeyEntity } from './api-key.entity';
import { hashApiKey, isWellFormedApiKey, issueApiKey } from './api-key';
import { RegionGuard } from './region-guard';
import { ResolutionCache, type ApiKeyResolution } from './resolution-cache';
import { TENANT_TIERS, TenantEntity, type TenantTier } from './tenant.entity';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly tier: TenantTier;
  readonly createdAt: Date;
}

export interface IssuedKey {
  /** Plaintext, shown to the caller once; only its hash is stored. */
  readonly apiKey: string;
  readonly keyId: string;
}

export interface TenantDirectoryOptions {
  /** How long a resolved key is trusted without asking PostgreSQL; default 30 s, 0 disables. */
  readonly resolutionTtlMs?: number;
  /** This installation's region (WEAVER_REGION): new tenants are homed here, keys of tenants served elsewhere are refused. */
  readonly region?: string;
  /** Called after a tenant or its keys changed (the regions' DirectoryPublisher); a failure is the caller's to log. */
  readonly onChange?: (tenantId: string) => Promise<void>;
}

const UNKNOWN_KEY = 'unknown or revoked API key';
const KEY_ROLE = /^[a-z][a-z0-9-]{0,31}$/;
/** What a key may do unless its creator said otherwise: run workflows of its tenant and read them. */
const DEFAULT_ROLES = ['runner'];

function requireText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > max) throw new ValidationError([{ field, rule: `must be 1-${max} characters` }]);
  return text;
}

const toTenant = (row: TenantEntity): Tenant => ({ id: row.id, name: row.name, tier: row.tier, createdAt: row.createdAt });

/**
 * Tenants and their API keys. Every query runs under row-level security as the tenancy role (weaver_tenancy): tenant
 * work inside `withTenant`, key resolution with only `weaver.api_key_hash` set, which the
 * `api_key_resolution` policy limits to the one row holding that hash.
 */
export class TenantDirectory {
  private readonly cache: ResolutionCache;
  private readonly regionGuard: RegionGuard | undefined;
  private readonly onChange: (tenantId: string) => Promise<void>;

  constructor(
    private readonly ds: DataSource,
    options: TenantDirectoryOptions = {},
  ) {
    this.cache = new ResolutionCache(options.resolutionTtlMs ?? 30_000);
    this.regionGuard = options.region === undefined ? undefined : new RegionGuard(ds, options.region);
    this.onChange = options.onChange ?? (() => Promise.resolve());
  }

  async createTenant(input: { name: string; tier?: TenantTier }): Promise<{ tenant: Tenant } & IssuedKey> {
    const violations: FieldViolation[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length === 0 || name.length > 200) violations.push({ field: 'name', rule: 'must be 1-200 characters' });
    const tier = input.tier ?? 'standard';
    if (!TENANT_TIERS.includes(tier)) violations.push({ field: 'tier', rule: `must be one of ${TENANT_TIERS.join(', ')}` });
    if (violations.length > 0) throw new ValidationError(violations);

    const homeRegion = this.regionGuard?.region ?? null;
    const tenant: TenantEntity = Object.assign(new TenantEntity(), { id: randomUUID(), name, tier, createdAt: new Date(), homeRegion, servedBy: null, servingEpoch: 0 });
    const created = await withTenant(this.ds, tenant.id, async (em) => {
      await em.insert(TenantEntity, tenant);
      return { tenant: toTenant(tenant), ...(await this.insertKey(em, tenant.id, 'default')) };
    });
    await this.onChange(tenant.id);
    return created;
  }

  async getTenant(tenantId: string): Promise<Tenant> {
    assertUuid(tenantId, 'tenantId');
    const row = await withTenant(this.ds, tenantId, (em) => em.findOneBy(TenantEntity, { id: tenantId }));
    if (row === null) throw new NotFoundError('tenant', tenantId);
    return toTenant(row);
  }

  /** `roles`: what access policies test (`principal.roles`); none given → ["runner"]. */
  async createApiKey(tenantId: string, keyName: string, roles: readonly string[] = []): Promise<IssuedKey> {
    assertUuid(tenantId, 'tenantId');
    const name = requireText(keyName, 'name', 100);
    const bad = roles.findIndex((r) => !KEY_ROLE.test(r));
    if (bad >= 0 || roles.length > 16) throw new ValidationError([{ field: bad >= 0 ? `roles[${bad}]` : 'roles', rule: 'at most 16 roles, each 1-32 of a-z, 0-9, "-" starting with a letter' }], 'api key');
    const issued = await withTenant(this.ds, tenantId, async (em) => {
      if (!(await em.existsBy(TenantEntity, { id: tenantId }))) throw new NotFoundError('tenant', tenantId);
      return this.insertKey(em, tenantId, name, roles.length ? [...new Set(roles)] : DEFAULT_ROLES);
    });
    await this.onChange(tenantId);
    return issued;
  }

  /** Revoking twice is fine; a key of another tenant is "not found", like a missing one. */
  async revokeApiKey(tenantId: string, keyId: string): Promise<void> {
    assertUuid(tenantId, 'tenantId');
    assertUuid(keyId, 'keyId');
    await withTenant(this.ds, tenantId, async (em) => {
      const key = await em.findOneBy(ApiKeyEntity, { id: keyId });
      if (key === null) throw new NotFoundError('api key', keyId);
      if (key.revokedAt === null) await em.update(ApiKeyEntity, { id: keyId }, { revokedAt: new Date() });
    });
    this.cache.forgetWhere((v) => v.keyId === keyId);
    await this.onChange(tenantId);
  }

  async resolveApiKey(apiKey: string): Promise<ApiKeyResolution> {
    // Malformed keys are unauthenticated rather than invalid: no hint about what a key looks like
    // beyond what a caller already knows, and no query spent on them.
    if (typeof apiKey !== 'string' || !isWellFormedApiKey(apiKey)) throw new UnauthenticatedError(UNKNOWN_KEY);
    const hash = hashApiKey(apiKey);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return cached;
    const row = await withSettings(this.ds, { 'weaver.api_key_hash': hash }, (em) => em.findOneBy(ApiKeyEntity, { keyHash: hash }));
    if (row === null && this.regionGuard) await this.regionGuard.refuseIfKnownElsewhere(hash);
    if (row === null || row.revokedAt !== null) throw new UnauthenticatedError(UNKNOWN_KEY);
    if (this.regionGuard) await this.regionGuard.assertServedHere(row.tenantId);
    const resolution = { tenantId: row.tenantId, keyId: row.id, roles: row.roles };
    this.cache.set(hash, resolution);
    return resolution;
  }

  private async insertKey(em: EntityManager, tenantId: string, name: string, roles: string[] = DEFAULT_ROLES): Promise<IssuedKey> {
    const key = issueApiKey();
    const row: ApiKeyEntity = Object.assign(new ApiKeyEntity(), {
      id: randomUUID(),
      tenantId,
      name,
      keyHash: key.hash,
      prefix: key.prefix,
      roles,
      createdAt: new Date(),
      revokedAt: null,
    });
    await em.insert(ApiKeyEntity, row);
    return { apiKey: key.plaintext, keyId: row.id };
  }
}
