import type { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { assertUuid, withSettings, withTenant } from '@weaver/persistence';
import { TenantEntity } from './tenant.entity';
import { toTenant, type Tenant, type TenantDirectory } from './tenant-directory';
import { nextTenantState, TENANT_STATES, type TenantChange, type TenantState } from './tenant-state';

export interface TenantPage {
  tenants: Tenant[];
  /** Empty on the last page. */
  nextCursor: string;
}

export interface TenantStateOutcome {
  tenant: Tenant;
  /** False when the tenant already was in the target state (a retry). */
  changed: boolean;
  erasureRequestedAt?: Date;
  erasedAt?: Date;
}

const MAX_PAGE = 200;
/** `<created_at ms>.<id>`, base64url: the keyset position after a page's last tenant. */
const cursorOf = (t: Tenant): string => Buffer.from(`${t.createdAt.toISOString()}|${t.id}`).toString('base64url');
function positionOf(cursor: string): { at: string; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw new ValidationError([{ field: 'cursor', rule: 'must be the nextCursor of a previous page' }], 'tenant list');
  return { at, id };
}

/**
 * The admin API's tenant lifecycle (issue 12): the platform-wide list (keyset pages, oldest
 * first) and state changes by TENANT_TRANSITIONS. Deleting records an erasure request in
 * tenancy.tenant_erasures; the erasure itself is the erasure step's (libs/privacy
 * `eraseRequestedTenants`, the owner role), which deletes the tenant's rows and keys and
 * writes its report there. Every change clears the directory's cached key resolutions.
 */
export class TenantLifecycle {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: Pick<TenantDirectory, 'tenantChanged'>,
  ) {}

  async list(input: { limit?: number; cursor?: string; state?: TenantState }): Promise<TenantPage> {
    const limit = input.limit || 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new ValidationError([{ field: 'limit', rule: `must be an integer from 1 to ${MAX_PAGE}` }], 'tenant list');
    if (input.state !== undefined && !TENANT_STATES.includes(input.state)) throw new ValidationError([{ field: 'state', rule: `must be one of ${TENANT_STATES.join(', ')}` }], 'tenant list');
    const after = input.cursor ? positionOf(input.cursor) : undefined;
    const rows = await withSettings(this.ds, { 'weaver.tenant_listing': 'on' }, (em) => {
      const q = em.createQueryBuilder(TenantEntity, 't').orderBy('t.created_at', 'ASC').addOrderBy('t.id', 'ASC').limit(limit + 1);
      if (after) q.andWhere('(t.created_at, t.id) > (:at::timestamptz, :id::uuid)', after);
      if (input.state) q.andWhere('t.state = :state', { state: input.state });
      return q.getMany();
    });
    const tenants = rows.slice(0, limit).map(toTenant);
    return { tenants, nextCursor: rows.length > limit ? cursorOf(tenants[tenants.length - 1]!) : '' };
  }

  /** Suspend, resume or delete (request erasure); repeating a change is a no-op answered the same. */
  async change(tenantId: string, change: TenantChange, requestedBy: string): Promise<TenantStateOutcome> {
    assertUuid(tenantId, 'tenantId');
    const outcome = await withTenant(this.ds, tenantId, async (em): Promise<TenantStateOutcome> => {
      const row = await em.findOne(TenantEntity, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      const erasure = (await em.query('SELECT requested_at, erased_at FROM tenancy.tenant_erasures WHERE tenant = $1', [tenantId])) as Array<{ requested_at: Date; erased_at: Date | null }>;
      const requested = erasure[0];
      if (row === null) {
        // Erased (the row is gone, the erasure record stays): only deleting again is meaningful.
        if (!requested?.erased_at) throw new NotFoundError('tenant', tenantId);
        nextTenantState('erased', change);
        const gone: Tenant = { id: tenantId, name: '', tier: 'standard', createdAt: requested.requested_at, state: 'erased', stateChangedAt: requested.erased_at };
        return { tenant: gone, changed: false, erasureRequestedAt: requested.requested_at, erasedAt: requested.erased_at };
      }
      const to = nextTenantState(row.state, change);
      const changed = to !== row.state;
      if (changed) {
        row.state = to as TenantEntity['state'];
        row.stateChangedAt = new Date();
        await em.update(TenantEntity, { id: tenantId }, { state: row.state, stateChangedAt: row.stateChangedAt });
      }
      let requestedAt = requested?.requested_at;
      if (to === 'deleting' && !requested) {
        const [inserted] = (await em.query('INSERT INTO tenancy.tenant_erasures (tenant, requested_by) VALUES ($1, $2) RETURNING requested_at', [tenantId, requestedBy.slice(0, 200) || 'unknown'])) as Array<{ requested_at: Date }>;
        requestedAt = inserted?.requested_at;
      }
      return { tenant: toTenant(row), changed, ...(requestedAt ? { erasureRequestedAt: requestedAt } : {}) };
    });
    if (outcome.changed) await this.directory.tenantChanged(tenantId);
    return outcome;
  }
}
