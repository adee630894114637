import type { DataSource } from 'typeorm';
import { poolOf, TenantBatcher } from '@weaver/persistence';
import { BudgetStore } from './ledger/budget-store';
import { executeClaims, type Claim, type ClaimOp, type ClaimResult, type Reservation } from './ledger/claim-batch';
import { executeSettlements, type SettleOp } from './ledger/settle-batch';
import { UsageLedger, type UsageEntry } from './ledger/usage-ledger';
import type { RoutedResult } from './routed-result';

export type { Claim, Reservation };

// One batch per tenant and side at a time: calls arriving meanwhile form the next batch (and a
// tenant's batches would queue on its budget row lock anyway); tenants still run side by side.
const BATCHING = { maxInFlight: 4, maxInFlightPerKey: 1 };

/**
 * The money side of a call, in two tenant-scoped writes: before the call, claim the idempotency
 * key and hold budget; after it, settle + write the ledger row + record the response together,
 * so a step is billed exactly once or not at all.
 *
 * Both go through a group-commit batcher (TenantBatcher): concurrent calls of one tenant share
 * one transaction and one multi-row statement per side, because on the machines Weaver runs on
 * a PostgreSQL round trip costs far more than the SQL. An idle router pays three round trips per
 * side (BEGIN + tenant, the statement, COMMIT); a busy one pays them once per batch.
 */
export class Billing {
  readonly budgets = new BudgetStore();
  readonly ledger = new UsageLedger();
  private claims?: TenantBatcher<ClaimOp, ClaimResult>;
  private settlements?: TenantBatcher<SettleOp, null>;

  constructor(
    private readonly ds: DataSource,
    private readonly leaseMs = 5 * 60_000,
  ) {}

  /** Claim the idempotency key and, for a call that is new, hold its worst-case cost. */
  async claimAndReserve(tenantId: string, key: string | undefined, requestHash: string, amountUsd: number): Promise<{ claim: Claim; reservation?: Reservation }> {
    this.claims ??= new TenantBatcher(poolOf(this.ds), (client, tenant, ops) => executeClaims(client, tenant, ops, this.leaseMs), BATCHING);
    const out = await this.claims.submit(tenantId, { key, requestHash, amountUsd });
    if ('error' in out) throw out.error;
    return out;
  }

  async reserve(tenantId: string, amountUsd: number): Promise<Reservation> {
    const { reservation } = await this.claimAndReserve(tenantId, undefined, '', amountUsd);
    return reservation!;
  }

  /** The call failed: give back the hold and the idempotency key. */
  async abandon(tenantId: string, reservation: Reservation | undefined, key: string | undefined): Promise<void> {
    if (!key && !(reservation && reservation.amountUsd > 0)) return;
    await this.settle(tenantId, { kind: 'abandon', reservation, key });
  }

  async commit(entry: UsageEntry, reservation: Reservation | undefined, result: RoutedResult | undefined): Promise<void> {
    await this.settle(entry.tenantId, { kind: 'bill', entry, reservation, result });
  }

  private settle(tenantId: string, op: SettleOp): Promise<null> {
    this.settlements ??= new TenantBatcher(poolOf(this.ds), executeSettlements, BATCHING);
    return this.settlements.submit(tenantId, op);
  }
}
