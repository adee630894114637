import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { NotFoundError, PermissionDeniedError, UnauthenticatedError, ValidationError, type FieldViolation } from '@weaver/errors';
import { assertUuid, withSettings, withTenant } from '@weaver/persistence';

import { ApiKeyEntity } from './api-key.entity';
import { hashApiKey, isWellFormedApiKey } from './api-key';
import { insertApiKey, keyResolvesAt, listApiKeys, rotateApiKey, type ApiKeyInfo, type IssuedKey } from './api-key-rows';
import { acceptsKeys, type TenantState } from './tenant-state';
import { RegionGuard } from './region-guard';
import { ResolutionCache, type ApiKeyResolution } from './resolution-cache';
import { TENANT_TIERS, TenantEntity, type TenantTier } from './tenant.entity';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly tier: TenantTier;
  readonly createdAt: Date;
  readonly state: TenantState;
  readonly stateChangedAt: Date;
}

export type { IssuedKey } from './api-key-rows';

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

export const toTenant = (row: TenantEntity): Tenant => ({ id: row.id, name: row.name, tier: row.tier, createdAt: row.createdAt, state: row.state, stateChangedAt: row.stateChangedAt ?? row.createdAt });

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
    const tenant: TenantEntity = Object.assign(new TenantEntity(), { id: randomUUID(), name, tier, createdAt: new Date(), homeRegion, servedBy: null, servingEpoch: 0, state: 'active', stateChangedAt: null });
    const created = await withTenant(this.ds, tenant.id, async (em) => {
      await em.insert(TenantEntity, tenant);
      const { apiKey, keyId } = await insertApiKey(em, tenant.id, 'default', DEFAULT_ROLES);
      return { tenant: toTenant(tenant), apiKey, keyId };
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
      const { apiKey, keyId } = await insertApiKey(em, tenantId, name, roles.length ? [...new Set(roles)] : DEFAULT_ROLES);
      return { apiKey, keyId };
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
      // A key in a rotation's grace period is revoked now: revoking cuts the grace short.
      if (keyResolvesAt(key.revokedAt, Date.now())) await em.update(ApiKeyEntity, { id: keyId }, { revokedAt: new Date() });
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
    if (row === null || !keyResolvesAt(row.revokedAt, Date.now())) throw new UnauthenticatedError(UNKNOWN_KEY);
    if (this.regionGuard) await this.regionGuard.assertServedHere(row.tenantId);
    // Once per cache miss: a suspended or deleting tenant's keys are refused, saying why.
    const tenant = await withTenant(this.ds, row.tenantId, (em) => em.findOne(TenantEntity, { where: { id: row.tenantId }, select: { id: true, state: true } }));
    if (tenant !== null && !acceptsKeys(tenant.state)) throw new PermissionDeniedError(`tenant ${row.tenantId} is ${tenant.state}: its API keys are refused`, { tenantId: row.tenantId, state: tenant.state });
    const resolution = { tenantId: row.tenantId, keyId: row.id, roles: row.roles };
    this.cache.set(hash, resolution, row.revokedAt?.getTime());
    return resolution;
  }

  /** The tenant's keys without secrets (ListApiKeys). */
  async listApiKeys(tenantId: string, includeRevoked = false): Promise<ApiKeyInfo[]> {
    return withTenant(this.ds, tenantId, (em) => listApiKeys(em, includeRevoked));
  }

  /** A new key for an old one (RotateApiKey); the old one resolves for `graceSeconds` more. */
  async rotateApiKey(tenantId: string, keyId: string, graceSeconds: number): Promise<Awaited<ReturnType<typeof rotateApiKey>>> {
    assertUuid(keyId, 'keyId');
    const rotated = await withTenant(this.ds, tenantId, (em) => rotateApiKey(em, keyId, graceSeconds));
    // Re-read on next use: the entry must not outlive the (possibly zero) grace period.
    this.cache.forgetWhere((v) => v.keyId === keyId);
    await this.onChange(tenantId);
    return rotated;
  }

  /** After a tenant's state changed (TenantLifecycle): its cached resolutions go, replicas hear of it. */
  async tenantChanged(tenantId: string): Promise<void> {
    this.cache.forgetWhere((v) => v.tenantId === tenantId);
    await this.onChange(tenantId);
  }
}
