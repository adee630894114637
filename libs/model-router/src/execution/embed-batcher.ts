import { estimateTokens, type EmbedResult, type ModelAdapter } from '@weaver/models';
import { Coalescer } from '@weaver/resilience';

export interface EmbedBatchingOptions {
  /** How long the first call to a model waits for others (default 3 ms; 0 turns coalescing off). */
  lingerMs?: number;
  /** Texts per provider request at most (OpenAI takes 2,048 inputs; default 256). */
  maxTexts?: number;
  /** Provider requests per model in flight at once (default 4). */
  maxInFlightPerModel?: number;
}

interface EmbedOp {
  adapter: ModelAdapter;
  providerModel: string;
  texts: string[];
}

/**
 * The plan's "batch processing: aggregate similar requests" for embeddings: concurrent calls
 * to one model (any tenant, any step) within `lingerMs` go to the provider as one request, and
 * the answer is split back per caller. It lives in the router because that is where all
 * callers meet (every runner replica, every tenant); a per-runner batcher would only see its
 * own steps. Billing stays per caller: each gets its own vectors and its share of the reported
 * input tokens (`shareTokens`), and is claimed, held and settled on its own key as before.
 *
 * Tenants share a provider request, never an answer: every caller's texts go in, each gets back
 * only the vectors of its own texts, in order.
 */
export class EmbedBatcher {
  private readonly coalescer: Coalescer<EmbedOp, EmbedResult>;
  /** Provider requests made (for the benchmark and metrics). */
  requests = 0;

  constructor(opts: EmbedBatchingOptions = {}) {
    const lingerMs = opts.lingerMs ?? 3;
    const maxTexts = opts.maxTexts ?? 256;
    this.coalescer = new Coalescer<EmbedOp, EmbedResult>((_model, ops) => this.run(ops), {
      lingerMs,
      // Ops, not texts: a call's texts stay together; run() splits a group that is too large.
      maxBatch: lingerMs > 0 ? maxTexts : 1,
      maxInFlight: lingerMs > 0 ? 64 : Number.POSITIVE_INFINITY,
      // Off (linger 0): every call its own request, as many at once as callers make.
      maxInFlightPerKey: lingerMs > 0 ? (opts.maxInFlightPerModel ?? 4) : Number.POSITIVE_INFINITY,
    });
    this.maxTexts = maxTexts;
  }

  private readonly maxTexts: number;

  /** Calls waiting for a provider request (not yet sent). */
  get queued(): number {
    return this.coalescer.queued;
  }

  /** `model`: the catalogue name (one coalescing group per model). */
  embed(model: string, op: EmbedOp): Promise<EmbedResult> {
    return this.coalescer.submit(model, op);
  }

  private async run(ops: EmbedOp[]): Promise<EmbedResult[]> {
    const out: EmbedResult[] = [];
    for (let start = 0; start < ops.length; ) {
      let end = start + 1;
      let texts = ops[start]!.texts.length;
      while (end < ops.length && texts + ops[end]!.texts.length <= this.maxTexts) texts += ops[end++]!.texts.length;
      out.push(...(await this.one(ops.slice(start, end))));
      start = end;
    }
    return out;
  }

  /** One provider request for the ops; the adapter of the first (all are the same model). */
  private async one(ops: EmbedOp[]): Promise<EmbedResult[]> {
    const first = ops[0]!;
    this.requests++;
    // No caller's signal: one caller giving up must not abort its neighbours' request; the
    // adapter's own timeout (models.yaml timeout_ms) bounds it.
    const res = await first.adapter.embed({ model: first.providerModel, texts: ops.flatMap((o) => o.texts) });
    if (res.vectors.length !== ops.reduce((n, o) => n + o.texts.length, 0)) {
      throw new Error(`embedding model ${first.providerModel} returned ${res.vectors.length} vectors for ${ops.reduce((n, o) => n + o.texts.length, 0)} texts`);
    }
    const shares = shareTokens(res.usage.inputTokens, ops.map((o) => o.texts.reduce((n, t) => n + estimateTokens(t), 0)));
    let at = 0;
    return ops.map((o, i) => {
      const vectors = res.vectors.slice(at, at + o.texts.length);
      at += o.texts.length;
      return { vectors, usage: { inputTokens: shares[i]!, outputTokens: 0 }, model: res.model };
    });
  }
}

/**
 * Splits a request's reported token count over its callers in proportion to their estimated
 * tokens (largest remainder), so the shares are whole tokens and add up to exactly the total:
 * the tenants of a coalesced request together pay what the provider charged, no more.
 */
export function shareTokens(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 1) return [total];
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    shares[i]!++;
    left--;
  }
  return shares;
}
