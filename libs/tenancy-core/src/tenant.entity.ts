import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantState } from './tenant-state';

export const TENANCY_SCHEMA = 'tenancy';

/** How a tenant's events are separated from other tenants' (see TenantTier in tenancy.proto). */
export type TenantTier = 'standard' | 'isolated';
export const TENANT_TIERS: readonly TenantTier[] = ['standard', 'isolated'];

/** A tenant. Row-level security keys this table by `id` itself. */
@Entity({ schema: TENANCY_SCHEMA, name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  tier!: TenantTier;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Where the tenant's data lives (docs/regions.md); NULL = this installation's region. */
  @Column({ name: 'home_region', type: 'text', nullable: true })
  homeRegion!: string | null;

  /** Which region answers for it now (differs from home after a failover); NULL = home. */
  @Column({ name: 'served_by', type: 'text', nullable: true })
  servedBy!: string | null;

  @Column({ name: 'serving_epoch', type: 'integer', default: 0 })
  servingEpoch!: number;

  /** active, suspended or deleting (TENANT_TRANSITIONS); only an active tenant's keys resolve. */
  @Column({ type: 'text', default: 'active' })
  state!: Exclude<TenantState, 'erased'>;

  /** When the state last changed; NULL: never (it is the creation time). */
  @Column({ name: 'state_changed_at', type: 'timestamptz', nullable: true })
  stateChangedAt!: Date | null;
}
