import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PayloadCipher } from '@weaver/crypto';
import { UnavailableError } from '@weaver/errors';
import { ConnectionPools, estimateTokens, type GenerateResult, type StreamDelta } from '@weaver/models';
import type { Logger, Metrics } from '@weaver/observability';
import { withTenant } from '@weaver/persistence';
import { parsePiiPolicy, type PiiPolicy, type TokenKeySource } from '@weaver/pii';
import { Billing } from './billing';
import { cacheKeyOf, type ResponseCache } from './cache/response-cache';
import { buildCatalog, type CatalogModel, type ModelCatalog } from './catalog/model-catalog';
import type { ModelsFile } from './catalog/models-file.schema';
import { EmbedBatcher, type EmbedBatchingOptions } from './execution/embed-batcher';
import { FallbackExecutor } from './execution/fallback-executor';
import { ModelFleet } from './execution/model-fleet';
import type { BudgetStatus } from './ledger/budget-store';
import type { BillingLimits, Reservation } from './ledger/claim-batch';
import { KeyFlights } from './ledger/key-flights';
import { PiiGuard } from './pii/pii-guard';
import { PiiPolicies, type TenantPiiPolicy } from './pii/pii-policies';
import type { ModelCallRow, UsageFilter, UsageRow } from './ledger/usage-ledger';
import { validateEmbedCall, validateModelCall } from './request-validation';
import type { RoutedResult } from './routed-result';
import { EndpointStats } from './routing/endpoint-stats';
import { impliedCapabilities, planRoute, promptTokensOf, type RoutePlan } from './routing/route-planner';
import type { EmbedCallRequest, ModelCallRequest } from './routing/route-request';
import { estimateCost } from './routing/routing-policy';
import { BudgetExhaustedError, TokensPerDayExhaustedError } from './router-errors';
import { RouterMetrics } from './router-metrics';
import { UsageMetrics } from './usage-metrics';
import { inModelCallSpan, recordModelCall, routedOutcome } from './model-call-span';
import { StreamSession, type RouterChunk } from './stream-session';

export interface ModelRouterOptions {
  file: ModelsFile;
  env: Record<string, string | undefined>;
  dataSource: DataSource;
  metrics: Metrics;
  logger: Logger;
  cache?: ResponseCache;
  /**
   * Seals recorded answers (router.idempotency_records.response) under the tenant's data key;
   * default PLAINTEXT. The Redis cache takes the same cipher (RedisResponseCache).
   */
  cipher?: PayloadCipher;
  /**
   * The tenant's quotas (tenancy GetQuotas through an in-process cache: no round trip on the
   * steady state): `tokensPerDay` and `budgetUsd` (the limit of a tenant without a budget of
   * its own) are enforced in the billing batch. Unset: only budgets set with SetBudget apply.
   */
  quotas?: RouterQuotaSource;
  /** Lease after which an unfinished idempotency claim (a crashed call) may be taken over. */
  idempotencyLeaseMs?: number;
  /** Coalescing of concurrent embedding calls per model (EmbedBatcher); `{ lingerMs: 0 }` turns it off. */
  embedBatching?: EmbedBatchingOptions;
  /** Per-tenant PII policies applied before any provider sees a call's text (PiiGuard); unset: every type allowed. */
  pii?: RouterPiiOptions;
  random?: () => number;
}

export interface RouterPiiOptions {
  /** The policy of a tenant without one of its own (ROUTER_PII_POLICY). */
  installationDefault: PiiPolicy;
  /** How long a replica applies a tenant's policy before reading it again. */
  cacheTtlMs: number;
  /** Tenants' token keys (dataKeyTokenKeys over the cipher's DataKeyCache); unset: tokenise is refused on set and masks. */
  keys?: TokenKeySource;
}

/** The quotas the router enforces (a subset of tenancy's Quotas). */
export interface RouterQuota {
  readonly tokensPerDay: number;
  readonly budgetUsd: number;
}
/** A budget as reported: with the limit that applies (its own, or the budget_usd quota). */
export type LimitedBudget = BudgetStatus & { limitUsd: number };
export type RouterQuotaSource = (tenantId: string) => Promise<RouterQuota>;

export interface EmbedOutcome {
  vectors: number[][];
  model: string;
  /** This call's tokens (its share when its request was coalesced with others). */
  inputTokens: number;
  costUsd: number;
  /** Answered from the idempotency record: not billed again. */
  replayed: boolean;
}

/**
 * The model gateway: routes each call to a capable model by policy, falls back along the chain,
 * guards every provider endpoint with a breaker, caches exact repeats, refuses calls the
 * tenant's budget cannot cover, bills each agent step once, and records every token.
 */
export class ModelRouter {
  private catalog: ModelCatalog;
  private readonly fleet: ModelFleet;
  private readonly stats = new EndpointStats();
  private readonly executor: FallbackExecutor;
  readonly metrics: RouterMetrics;
  private readonly billing: Billing;
  private readonly flights = new KeyFlights();
  private readonly embeds: EmbedBatcher;
  private readonly piiPolicies: PiiPolicies;
  private readonly pii: PiiGuard;

  constructor(private readonly opts: ModelRouterOptions) {
    this.metrics = new RouterMetrics(opts.metrics);
    const pii = opts.pii ?? { installationDefault: parsePiiPolicy({ default: 'allow' }), cacheTtlMs: 5_000 };
    this.piiPolicies = new PiiPolicies(opts.dataSource, { installationDefault: pii.installationDefault, ttlMs: pii.cacheTtlMs, canTokenise: pii.keys !== undefined });
    this.pii = new PiiGuard({ policyOf: this.piiPolicies.get, keys: pii.keys, metrics: this.metrics });
    this.fleet = new ModelFleet(new ConnectionPools(), opts.metrics);
    this.executor = new FallbackExecutor(this.fleet, this.stats, this.metrics, opts.logger);
    this.billing = new Billing(opts.dataSource, opts.idempotencyLeaseMs, opts.cipher, new UsageMetrics(opts.metrics));
    this.embeds = new EmbedBatcher(opts.embedBatching);
    this.catalog = buildCatalog(opts.file, opts.env);
    this.fleet.load(this.catalog);
    this.metrics.catalogModels.set({}, this.catalog.models.size);
  }

  /** Swap in a new models.yaml (already validated); in-flight calls finish on the old one. */
  reload(file: ModelsFile): void {
    const next = buildCatalog(file, this.opts.env);
    this.fleet.load(next);
    this.catalog = next;
    this.metrics.catalogModels.set({}, next.models.size);
  }

  get models(): ModelCatalog['models'] {
    return this.catalog.models;
  }

  breakerStates(): Record<string, string> {
    return this.fleet.breakerStates();
  }

  async generate(call: ModelCallRequest): Promise<RoutedResult> {
    validateModelCall(call);
    return inModelCallSpan('chat', call, async (span) => {
      // From here on only the policy-applied request exists: hash, cache key, provider, record.
      const req = await this.pii.protectCall(call);
      const result = await this.billed(req, 'generate', async (plan, catalog) => {
        const attempt = await this.executor.run(catalog, plan.chain, (m, signal) => this.fleet.adapterOf(m).generate(this.adapterRequest(req, m, signal)));
        return { result: attempt.value, model: attempt.model, tried: plan.chain.slice(0, plan.chain.indexOf(attempt.model)).map((m) => m.name) };
      });
      recordModelCall(span, routedOutcome(result));
      return this.pii.restore(call.tenantId, result);
    });
  }

  /** Streamed generate: deltas as they arrive, then one `done` chunk with the billed result. */
  generateStream(call: ModelCallRequest): AsyncIterable<RouterChunk> {
    validateModelCall(call);
    const session = new StreamSession();
    const billed = (req: ModelCallRequest) => this.billed(req, 'stream', async (plan, catalog) => {
      // Fall back only until the first delta: after that the caller has seen output.
      const attempt = await this.executor.run(catalog, plan.chain, async (m, signal) => {
        const it = this.fleet.adapterOf(m).stream(this.adapterRequest(req, m, signal))[Symbol.asyncIterator]();
        return { it, first: await it.next() };
      });
      const result = await session.pump(attempt.value.it, attempt.value.first, attempt.model.name);
      return { result, model: attempt.model, tried: plan.chain.slice(0, plan.chain.indexOf(attempt.model)).map((m) => m.name) };
    });
    void inModelCallSpan('chat', call, (span) => this.pii.protectCall(call).then(billed).then((r) => (recordModelCall(span, routedOutcome(r)), r))).then(
      (r) => session.finish(r),
      (err: unknown) => session.fail(err),
    );
    return this.pii.restoreStream(call.tenantId, session);
  }

  /**
   * One vector per text, from a model with capability "embeddings". Idempotent like generate
   * (a repeated key answers from its record, replayed, unbilled); concurrent calls to one model
   * share a provider request (EmbedBatcher) and each is billed its own share of the tokens.
   */
  async embed(call: EmbedCallRequest): Promise<EmbedOutcome> {
    validateEmbedCall(call);
    return inModelCallSpan('embeddings', call, async (span) => {
      const out = await this.embedKeyed(call);
      recordModelCall(span, { ...out, outputTokens: 0 });
      return out;
    });
  }

  private async embedKeyed(call: EmbedCallRequest): Promise<EmbedOutcome> {
    const req = await this.pii.protectEmbed(call);
    const key = req.idempotencyKey;
    const leave = key ? await this.flights.enter(req.tenantId, key) : undefined;
    let recorded = false;
    try {
      const out = await this.embedOnce(req);
      recorded = true;
      return out;
    } finally {
      leave?.(recorded);
    }
  }

  private async embedOnce(req: EmbedCallRequest): Promise<EmbedOutcome> {
    const catalog = this.catalog;
    const key = req.idempotencyKey;
    const promptTokens = req.texts.reduce((n, t) => n + estimateTokens(t), 0);
    let plan: RoutePlan | undefined;
    let planError: unknown;
    try {
      plan = planRoute(catalog, req, { capabilities: ['embeddings'], promptTokens, outputTokens: 0, modelHint: req.modelHint }, this.stats, this.opts.random);
    } catch (err) {
      planError = err; // may still be a replay of a recorded answer: claim first
    }
    const worst = plan ? Math.max(...plan.chain.map((m) => estimateCost(m, promptTokens, 0))) : 0;
    let claimed: Awaited<ReturnType<Billing['claimAndReserve']>>;
    try {
      claimed = await this.billing.claimAndReserve(req.tenantId, key, embedHashOf(req), worst, { tokens: plan ? promptTokens : 0, limits: await this.limitsOf(req.tenantId) });
    } catch (err) {
      if (err instanceof BudgetExhaustedError || err instanceof TokensPerDayExhaustedError) this.metrics.budgetRejections.inc();
      throw err;
    }
    const { claim } = claimed;
    if (claim.state === 'replay') {
      this.metrics.replays.inc();
      return { ...(claim.response as unknown as EmbedOutcome), replayed: true };
    }
    if (claim.state === 'in-progress') throw new UnavailableError(`a call with idempotency key ${key} is in progress; retry later to get its recorded response`);
    try {
      if (!plan) throw planError;
      const a = await this.executor.run(catalog, plan.chain, (m) => this.embeds.embed(m.name, { adapter: this.fleet.adapterOf(m), providerModel: m.providerModel, texts: req.texts }));
      const inputTokens = a.value.usage.inputTokens;
      const costUsd = estimateCost(a.model, inputTokens, 0);
      const outcome: EmbedOutcome = { vectors: a.value.vectors, model: a.model.name, inputTokens, costUsd, replayed: false };
      const entry = { ...this.entryBase(req, a.model, 'embed'), inputTokens, outputTokens: 0, costUsd, cached: false, experiment: '', arm: '' };
      await this.billing.commit(entry, claimed.reservation, key ? outcome : undefined);
      const labels = { model: a.model.name, experiment: '', arm: '' };
      this.metrics.tokens.inc({ ...labels, direction: 'input' }, inputTokens);
      this.metrics.cost.inc(labels, costUsd);
      this.metrics.requests.inc({ ...labels, outcome: 'ok' });
      return outcome;
    } catch (err) {
      await this.billing.abandon(req.tenantId, claimed.reservation, key).catch((e: unknown) => this.opts.logger.error({ err: e }, 'could not release reservation'));
      throw err;
    }
  }

  /** The embedding batcher: provider requests made (coalesced calls count once) and calls waiting for one. */
  embedStats(): { requests: number; queued: number } {
    return { requests: this.embeds.requests, queued: this.embeds.queued };
  }

  /** Usage and the budget; a budget row without a limit of its own reports the tenant's budget_usd quota. */
  async getUsage(tenantId: string, filter: UsageFilter): Promise<{ rows: UsageRow[]; budget: LimitedBudget | undefined }> {
    const { rows, budget } = await withTenant(this.opts.dataSource, tenantId, async (em) => ({
      rows: await this.billing.ledger.query(em, tenantId, filter),
      budget: await this.billing.budgets.get(em, tenantId),
    }));
    if (!budget) return { rows, budget: undefined };
    if (budget.limitUsd !== null) return { rows, budget: { ...budget, limitUsd: budget.limitUsd } };
    const quotaLimit = (await this.limitsOf(tenantId))?.budgetUsd;
    return { rows, budget: quotaLimit === undefined ? undefined : { ...budget, limitUsd: quotaLimit } };
  }

  /** One run's model calls from the ledger, oldest first (the console's run view). */
  listModelCalls(tenantId: string, runId: string, limit?: number): Promise<ModelCallRow[]> {
    return withTenant(this.opts.dataSource, tenantId, (em) => this.billing.ledger.calls(em, tenantId, runId, limit));
  }

  async setBudget(tenantId: string, limitUsd: number, resetSpent = false): Promise<LimitedBudget> {
    const set = await withTenant(this.opts.dataSource, tenantId, (em) => this.billing.budgets.set(em, tenantId, limitUsd, resetSpent));
    return { ...set, limitUsd };
  }

  /** The PII policy this router applies to the tenant's calls (its own, else the installation default). */
  getPiiPolicy(tenantId: string): Promise<TenantPiiPolicy> {
    return this.piiPolicies.get(tenantId);
  }

  /** Validates and stores the tenant's PII policy (`{ default, <type>: action }`); applied here at once, on other replicas within the cache TTL. */
  setPiiPolicy(tenantId: string, policy: unknown, expectedVersion?: number): Promise<TenantPiiPolicy> {
    return this.piiPolicies.set(tenantId, policy, expectedVersion);
  }

  async close(): Promise<void> {
    await this.fleet.close();
    await this.opts.cache?.close();
  }

  /** The tenant's quotas as the billing batch takes them; none without a quota source. */
  private async limitsOf(tenantId: string): Promise<BillingLimits | undefined> {
    if (!this.opts.quotas) return undefined;
    const q = await this.opts.quotas(tenantId);
    return { tokensPerDay: q.tokensPerDay, budgetUsd: q.budgetUsd };
  }

  private adapterRequest(req: ModelCallRequest, m: CatalogModel, signal: AbortSignal) {
    return { model: m.providerModel, messages: req.messages, tools: req.tools, jsonMode: req.jsonMode || req.jsonSchema !== undefined, jsonSchema: req.jsonSchema, maxTokens: req.maxTokens, temperature: req.temperature, signal };
  }

  private entryBase(req: EmbedCallRequest | ModelCallRequest, m: CatalogModel, operation: 'generate' | 'stream' | 'embed') {
    return { tenantId: req.tenantId, workflow: req.workflow, agent: req.agent, runId: req.runId, step: req.step, model: m.name, provider: m.provider, operation, idempotencyKey: req.idempotencyKey };
  }

  /**
   * Idempotency, cache, budget and ledger around one routed call. `call` does the provider work
   * for a plan; everything else (replay, reserve, settle, record) is the same for both APIs.
   */
  private async billed(req: ModelCallRequest, operation: 'generate' | 'stream', call: ProviderCall): Promise<RoutedResult> {
    const key = req.idempotencyKey;
    if (!key) return this.billedOnce(req, operation, call);
    // Same key already in flight here: wait for it, then answer from its record (see KeyFlights).
    const leave = await this.flights.enter(req.tenantId, key);
    let recorded = false;
    try {
      const result = await this.billedOnce(req, operation, call);
      recorded = true; // fresh, cached or replayed: the key has a completed record either way
      return result;
    } finally {
      leave?.(recorded);
    }
  }

  private async billedOnce(req: ModelCallRequest, operation: 'generate' | 'stream', call: ProviderCall): Promise<RoutedResult> {
    const key = req.idempotencyKey;
    const catalog = this.catalog;
    const promptTokens = promptTokensOf(req.messages, req.tools);
    const caps = impliedCapabilities(req, operation === 'stream');
    // Plan first (in memory), so the key claim and the budget hold share one transaction. A
    // request that cannot be planned may still be a replay of a recorded answer: claim only.
    let plan: RoutePlan | undefined;
    let planError: unknown;
    try {
      plan = planRoute(catalog, req, { capabilities: caps, promptTokens, outputTokens: req.maxTokens ?? 0, modelHint: req.modelHint }, this.stats, this.opts.random);
    } catch (err) {
      planError = err;
    }
    const worst = plan ? Math.max(...plan.chain.map((m) => estimateCost(m, promptTokens, req.maxTokens ?? m.capabilities.maxOutputTokens))) : 0;
    // Held against tokens/day like the cost against the budget: the prompt plus the most any model of the chain may answer.
    const worstTokens = plan ? promptTokens + Math.max(...plan.chain.map((m) => req.maxTokens ?? m.capabilities.maxOutputTokens)) : 0;
    let claimed: Awaited<ReturnType<Billing['claimAndReserve']>>;
    try {
      claimed = await this.billing.claimAndReserve(req.tenantId, key || undefined, requestHashOf(req), worst, { tokens: worstTokens, limits: await this.limitsOf(req.tenantId) });
    } catch (err) {
      if (err instanceof BudgetExhaustedError || err instanceof TokensPerDayExhaustedError) this.metrics.budgetRejections.inc();
      throw err;
    }
    const { claim } = claimed;
    if (claim.state === 'replay') {
      this.metrics.replays.inc();
      this.metrics.requests.inc({ model: claim.response.model, experiment: claim.response.experiment, arm: claim.response.arm, outcome: 'replayed' });
      return { ...claim.response, replayed: true };
    }
    if (claim.state === 'in-progress') {
      throw new UnavailableError(`a call with idempotency key ${key} is in progress; retry later to get its recorded response`);
    }
    const cacheTtl = catalog.file.defaults.cache;
    const cache = cacheTtl.enabled && !req.noCache ? this.opts.cache : undefined;
    const cacheKey = cache ? cacheKeyOf(req) : '';
    let reservation: Reservation | undefined = claimed.reservation;
    try {
      if (!plan) throw planError;
      const hit = cache ? await cache.get(cacheKey) : undefined;
      this.metrics.cache.inc({ result: !cache ? 'bypass' : hit ? 'hit' : 'miss' });
      if (hit) {
        const result: RoutedResult = { ...hit, cached: true, replayed: false, costUsd: 0 };
        const m = catalog.models.get(hit.model);
        const entry = { ...this.entryBase(req, m ?? ({ name: hit.model, provider: hit.provider } as CatalogModel), operation), inputTokens: 0, outputTokens: 0, costUsd: 0, cached: true, experiment: hit.experiment, arm: hit.arm };
        await this.billing.commit(entry, reservation, result);
        reservation = undefined;
        this.metrics.requests.inc({ model: hit.model, experiment: hit.experiment, arm: hit.arm, outcome: 'cached' });
        return result;
      }
      const experiment = plan.assignment?.experiment ?? '';
      const arm = plan.assignment?.arm ?? '';
      const started = performance.now();
      let out: Awaited<ReturnType<typeof call>>;
      try {
        out = await call(plan, catalog);
      } catch (err) {
        this.metrics.requests.inc({ model: plan.chain[0]?.name ?? '', experiment, arm, outcome: 'error' });
        throw err;
      }
      const labels = { model: out.model.name, experiment, arm };
      const costUsd = estimateCost(out.model, out.result.usage.inputTokens, out.result.usage.outputTokens);
      const result: RoutedResult = {
        content: out.result.content,
        toolCalls: out.result.toolCalls,
        finishReason: out.result.finishReason,
        model: out.model.name,
        provider: out.model.provider,
        inputTokens: out.result.usage.inputTokens,
        outputTokens: out.result.usage.outputTokens,
        costUsd,
        replayed: false,
        cached: false,
        experiment,
        arm,
        fallbacksTried: out.tried,
      };
      await this.billing.commit({ ...this.entryBase(req, out.model, operation), inputTokens: result.inputTokens, outputTokens: result.outputTokens, costUsd, cached: false, experiment, arm }, reservation, result);
      reservation = undefined;
      this.metrics.latency.observe(labels, (performance.now() - started) / 1000);
      this.metrics.tokens.inc({ ...labels, direction: 'input' }, result.inputTokens);
      this.metrics.tokens.inc({ ...labels, direction: 'output' }, result.outputTokens);
      this.metrics.cost.inc(labels, costUsd);
      this.metrics.requests.inc({ ...labels, outcome: 'ok' });
      if (cache && result.finishReason !== 'error') await cache.set(cacheKey, result, cacheTtl.ttl_s);
      return result;
    } catch (err) {
      await this.billing.abandon(req.tenantId, reservation, key).catch((e: unknown) => this.opts.logger.error({ err: e }, 'could not release reservation'));
      throw err;
    }
  }
}

type ProviderCall = (plan: RoutePlan, catalog: ModelCatalog) => Promise<{ result: GenerateResult; model: CatalogModel; tried: string[] }>;

/** What makes two calls "the same request" for an idempotency key (not who sent it or when). */
function requestHashOf(req: ModelCallRequest): string {
  const { messages, tools, jsonMode, jsonSchema, requiredCapabilities, modelHint, maxTokens, temperature } = req;
  return createHash('sha256').update(JSON.stringify({ messages, tools, jsonMode, jsonSchema, requiredCapabilities, modelHint, maxTokens, temperature })).digest('hex');
}

/** The same for an embedding call. */
function embedHashOf(req: EmbedCallRequest): string {
  return createHash('sha256').update(JSON.stringify({ embed: req.texts, modelHint: req.modelHint })).digest('hex');
}

export type { StreamDelta };
