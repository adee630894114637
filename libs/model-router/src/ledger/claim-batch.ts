import { invalid, BudgetExhaustedError, TokensPerDayExhaustedError } from '../router-errors';
import type { RoutedResult } from '../routed-result';

export type Claim = { state: 'claimed' } | { state: 'replay'; response: RoutedResult } | { state: 'in-progress' };
/** A claim as the batch answers it: a replay's response still as stored (maybe sealed). */
export type StoredClaim = { state: 'claimed' } | { state: 'replay'; response: unknown } | { state: 'in-progress' };

/**
 * A hold on budget for one call; `amountUsd` 0 means the tenant has no budget (unlimited).
 * `tokens` is its worst-case tokens held against the tenant's tokens/day, taken on UTC `day`
 * (its actual tokens count on that day only); 0 / undefined when no quota applies.
 */
export interface Reservation {
  tenantId: string;
  amountUsd: number;
  tokens?: number;
  day?: string;
}

/** The tenant's quotas the batch enforces (tenancy's, cached); undefined fields mean no limit. */
export interface BillingLimits {
  /** The USD limit for a tenant without a budget of its own (SetBudget's wins). */
  budgetUsd?: number;
  /** Input + output tokens per UTC day. */
  tokensPerDay?: number;
}

/** Before a call: claim its idempotency key (when it has one) and, if the call is new, hold its worst-case cost. */
export interface ClaimOp {
  key: string | undefined;
  requestHash: string;
  amountUsd: number;
  /** Worst-case input + output tokens of the call. */
  tokens?: number;
  limits?: BillingLimits;
}

/** Per op: the outcome, or the error that op alone fails with (the batch itself committed). */
export type ClaimResult = { claim: StoredClaim; reservation?: Reservation } | { error: Error };

/** One element of router.billing_batch's answer (numeric columns arrive as JSON numbers). */
export interface ClaimRow {
  fresh: boolean;
  ok: boolean | null;
  /** Which limit refused the call. */
  why: 'budget_usd' | 'tokens_per_day' | null;
  reserved: number | null;
  limit: number | null;
  spent: number | null;
  /** The limit is the tenant's budget_usd quota (it has no budget of its own). */
  by_quota: boolean | null;
  tokens_used: number | null;
  tokens_reserved: number | null;
  tokens_limit: number | null;
  day: string | null;
  status: string | null;
  hash: string | null;
  /** The recorded answer as stored (sealed when encryption is on; Billing opens it). */
  response: unknown;
}

/** What an existing record means for a call that carries `requestHash`. */
function recorded(row: Pick<ClaimRow, 'status' | 'hash' | 'response'> | undefined, requestHash: string): ClaimResult {
  // Not in the statement's snapshot: claimed by a transaction that committed meanwhile, still pending.
  if (!row?.status) return { claim: { state: 'in-progress' } };
  if (row.hash !== requestHash) return { error: invalid('idempotency_key', 'was already used for a different request') };
  return row.status === 'completed' && row.response !== null && row.response !== undefined ? { claim: { state: 'replay', response: row.response } } : { claim: { state: 'in-progress' } };
}

/**
 * The claim side of a billing batch (billing-batch.ts). A key that appears twice in one batch is
 * claimed once: the later call sees the earlier one's claim (in progress) or its record, never a
 * second bill. `claimArgs` says which ops are sent (`sent`) and the arrays to send for them.
 */
export function claimArgs(ops: readonly ClaimOp[]): { sent: number[]; leaderOf: Map<string, number>; values: unknown[] } {
  const leaderOf = new Map<string, number>();
  const sent: number[] = [];
  ops.forEach((op, i) => {
    if (op.key !== undefined && leaderOf.has(op.key)) return;
    if (op.key !== undefined) leaderOf.set(op.key, i);
    sent.push(i);
  });
  return {
    sent,
    leaderOf,
    values: [sent.map((i) => ops[i]!.key ?? null), sent.map((i) => ops[i]!.requestHash), sent.map((i) => ops[i]!.amountUsd), sent.map((i) => Math.ceil(ops[i]!.tokens ?? 0))],
  };
}

/** Each op's outcome, in submission order, from the function's answer for the sent ones. */
export function claimResults(tenantId: string, ops: readonly ClaimOp[], args: ReturnType<typeof claimArgs>, rows: readonly ClaimRow[]): ClaimResult[] {
  const rowOf = new Map(args.sent.map((opIndex, j) => [opIndex, rows[j]!]));
  return ops.map((op, i): ClaimResult => {
    const row = rowOf.get(i);
    if (!row) {
      const leader = rowOf.get(args.leaderOf.get(op.key!)!)!;
      return leader.fresh ? { claim: { state: 'in-progress' } } : recorded(leader, op.requestHash);
    }
    if (!row.fresh) return recorded(row, op.requestHash);
    if (row.ok === null) return { claim: { state: 'claimed' }, reservation: { tenantId, amountUsd: 0 } }; // no budget row: unlimited
    if (row.ok) return { claim: { state: 'claimed' }, reservation: { tenantId, amountUsd: op.amountUsd, tokens: Math.ceil(op.tokens ?? 0), day: row.day ?? undefined } };
    // Refused; the function has already given the key back, so a retry once the quota allows may call.
    if (row.why === 'tokens_per_day') {
      return { error: new TokensPerDayExhaustedError(tenantId, Number(row.tokens_limit), Number(row.tokens_used), Number(row.tokens_reserved), Math.ceil(op.tokens ?? 0)) };
    }
    return { error: new BudgetExhaustedError(tenantId, Number(row.limit), Number(row.spent), Number(row.reserved), op.amountUsd, row.by_quota === true) };
  });
}
