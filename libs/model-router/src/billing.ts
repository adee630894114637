import type { DataSource } from 'typeorm';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { poolOf } from '@weaver/persistence';
import { BudgetStore } from './ledger/budget-store';
import { executeBilling, type BillingOp, type BillingResult } from './ledger/billing-batch';
import type { BillingLimits, Claim, Reservation } from './ledger/claim-batch';
import type { SettleOp } from './ledger/settle-batch';
import { StatementBatcher } from './ledger/statement-batcher';
import { UsageLedger, type UsageEntry } from './ledger/usage-ledger';
import type { RoutedResult } from './routed-result';
import type { UsageMetrics } from './usage-metrics';

export type { BillingLimits, Claim, Reservation };

/** The AAD purpose of a recorded answer (full LLM output: tenant data). */
export const IDEMPOTENCY_RESPONSE_PURPOSE = 'router.idempotency_records.response';

// One batch per tenant at a time: writes arriving meanwhile form its next batch (a tenant's
// batches would queue on its budget row lock anyway); tenants still run side by side.
const BATCHING = { maxInFlight: 4, maxInFlightPerKey: 1 };

/**
 * The money side of a call, in two tenant-scoped writes: before the call, claim the idempotency
 * key and hold budget; after it, settle + write the ledger row + record the response together,
 * so a step is billed exactly once or not at all.
 *
 * Both are group-committed (StatementBatcher): a tenant's pending claims and settlements go
 * together in one call of router.billing_batch, which is its own transaction, because on the
 * machines Weaver runs on a PostgreSQL round trip — and each transaction — costs far more than
 * the SQL. An idle router pays one round trip per write; a busy one, one per batch.
 *
 * Recorded answers are sealed under the tenant's data key before they are submitted (the key
 * comes from the cipher's in-memory cache: no round trip, and the batch stays one statement)
 * and opened when a replay reads them back.
 */
export class Billing {
  readonly budgets = new BudgetStore();
  readonly ledger = new UsageLedger();
  private batcher?: StatementBatcher<BillingOp, BillingResult>;

  constructor(
    private readonly ds: DataSource,
    private readonly leaseMs = 5 * 60_000,
    private readonly cipher: PayloadCipher = PLAINTEXT,
    /** Tokens, cost and budget per tenant (in-memory, from the writes below); unset: not measured. */
    private readonly usage?: UsageMetrics,
  ) {}

  /**
   * Claim the idempotency key and, for a call that is new, hold its worst-case cost and tokens
   * against the budget and the tenant's quotas (`limits`, checked in the same locked statement).
   */
  async claimAndReserve(
    tenantId: string,
    key: string | undefined,
    requestHash: string,
    amountUsd: number,
    worst: { tokens?: number; limits?: BillingLimits } = {},
  ): Promise<{ claim: Claim; reservation?: Reservation }> {
    const out = await this.writes().submit(tenantId, { kind: 'claim', key, requestHash, amountUsd, tokens: worst.tokens, limits: worst.limits });
    if (!out) throw new Error('billing_batch answered a claim with nothing');
    if ('error' in out) throw out.error;
    if (out.claim.state !== 'replay') return { claim: out.claim, reservation: out.reservation };
    const response = (await this.cipher.openJson(tenantId, IDEMPOTENCY_RESPONSE_PURPOSE, out.claim.response)) as RoutedResult;
    return { claim: { state: 'replay', response }, reservation: out.reservation };
  }

  async reserve(tenantId: string, amountUsd: number, worst: { tokens?: number; limits?: BillingLimits } = {}): Promise<Reservation> {
    const { reservation } = await this.claimAndReserve(tenantId, undefined, '', amountUsd, worst);
    return reservation!;
  }

  /** The call failed: give back the hold and the idempotency key. */
  async abandon(tenantId: string, reservation: Reservation | undefined, key: string | undefined): Promise<void> {
    if (!key && !(reservation && (reservation.amountUsd > 0 || (reservation.tokens ?? 0) > 0))) return;
    await this.settle(tenantId, { kind: 'abandon', reservation, key });
  }

  /** `result`: the answer recorded for the idempotency key (a RoutedResult, or an EmbedOutcome for embed). */
  async commit(entry: UsageEntry, reservation: Reservation | undefined, result: object | undefined): Promise<void> {
    const response = result === undefined ? undefined : await this.cipher.sealJson({ tenantId: entry.tenantId }, IDEMPOTENCY_RESPONSE_PURPOSE, result);
    await this.settle(entry.tenantId, { kind: 'bill', entry, reservation, response });
    this.usage?.billed(entry);
  }

  private async settle(tenantId: string, op: SettleOp): Promise<void> {
    await this.writes().submit(tenantId, op);
  }

  private writes(): StatementBatcher<BillingOp, BillingResult> {
    this.batcher ??= new StatementBatcher(poolOf(this.ds), (pool, tenant, ops) => executeBilling(pool, tenant, ops, this.leaseMs, this.usage && ((t, b) => this.usage?.budget(t, b))), BATCHING);
    return this.batcher;
  }
}
