import type { DataSource } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import { BudgetStore, type Reservation } from './ledger/budget-store';
import { IdempotencyStore, type Claim } from './ledger/idempotency-store';
import { UsageLedger, type UsageEntry } from './ledger/usage-ledger';
import type { RoutedResult } from './routed-result';

/**
 * The money side of a call, in two tenant-scoped transactions: before the call, claim the
 * idempotency key and hold budget; after it, settle + write the ledger row + record the response
 * together, so a step is billed exactly once or not at all.
 */
export class Billing {
  readonly budgets = new BudgetStore();
  readonly ledger = new UsageLedger();
  readonly idempotency: IdempotencyStore;

  constructor(
    private readonly ds: DataSource,
    leaseMs?: number,
  ) {
    this.idempotency = new IdempotencyStore(leaseMs);
  }

  /**
   * Claim the idempotency key and, for a call that is new, hold its worst-case cost: one
   * transaction (one round trip less per call). A refused reservation rolls the claim back.
   */
  claimAndReserve(tenantId: string, key: string | undefined, requestHash: string, amountUsd: number): Promise<{ claim: Claim; reservation?: Reservation }> {
    return withTenant(this.ds, tenantId, async (em) => {
      const claim: Claim = key ? await this.idempotency.claim(em, tenantId, key, requestHash) : { state: 'claimed' };
      if (claim.state !== 'claimed') return { claim };
      return { claim, reservation: await this.budgets.reserve(em, tenantId, amountUsd) };
    });
  }

  reserve(tenantId: string, amountUsd: number): Promise<Reservation> {
    return withTenant(this.ds, tenantId, (em) => this.budgets.reserve(em, tenantId, amountUsd));
  }

  /** The call failed: give back the hold and the idempotency key. */
  async abandon(tenantId: string, reservation: Reservation | undefined, key: string | undefined): Promise<void> {
    await withTenant(this.ds, tenantId, async (em) => {
      if (reservation && reservation.amountUsd > 0) await this.budgets.settle(em, reservation, 0);
      if (key) await this.idempotency.release(em, tenantId, key);
    });
  }

  async commit(entry: UsageEntry, reservation: Reservation | undefined, result: RoutedResult): Promise<void> {
    await withTenant(this.ds, entry.tenantId, async (em) => {
      if (reservation && reservation.amountUsd > 0) await this.budgets.settle(em, reservation, entry.costUsd);
      else if (entry.costUsd > 0) await this.budgets.settle(em, { tenantId: entry.tenantId, amountUsd: 0 }, entry.costUsd);
      await this.ledger.record(em, entry);
      if (entry.idempotencyKey) await this.idempotency.complete(em, entry.tenantId, entry.idempotencyKey, result);
    });
  }
}
