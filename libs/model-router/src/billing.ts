import type { DataSource } from 'typeorm';
import { poolOf } from '@weaver/persistence';
import { BudgetStore } from './ledger/budget-store';
import { executeClaims, type Claim, type ClaimOp, type ClaimResult, type Reservation } from './ledger/claim-batch';
import { executeSettlements, type SettleOp } from './ledger/settle-batch';
import { StatementBatcher } from './ledger/statement-batcher';
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
 * Both are group-committed (StatementBatcher): concurrent calls of one tenant share one call of
 * a SQL function per side (router.claim_batch, router.settle_batch), which is its own
 * transaction, because on the machines Weaver runs on a PostgreSQL round trip costs far more
 * than the SQL. An idle router pays one round trip per side; a busy one, one per batch.
 */
export class Billing {
  readonly budgets = new BudgetStore();
  readonly ledger = new UsageLedger();
  private claims?: StatementBatcher<ClaimOp, ClaimResult>;
  private settlements?: StatementBatcher<SettleOp, null>;

  constructor(
    private readonly ds: DataSource,
    private readonly leaseMs = 5 * 60_000,
  ) {}

  /** Claim the idempotency key and, for a call that is new, hold its worst-case cost. */
  async claimAndReserve(tenantId: string, key: string | undefined, requestHash: string, amountUsd: number): Promise<{ claim: Claim; reservation?: Reservation }> {
    this.claims ??= new StatementBatcher(poolOf(this.ds), (pool, tenant, ops) => executeClaims(pool, tenant, ops, this.leaseMs), BATCHING);
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
    this.settlements ??= new StatementBatcher(poolOf(this.ds), executeSettlements, BATCHING);
    return this.settlements.submit(tenantId, op);
  }
}
