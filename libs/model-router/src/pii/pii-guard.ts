import { detokenise, PII_TYPES, PiiRefusedError, PiiScanner, TOKEN_PATTERN, type PiiFinding, type PiiPolicy, type PiiType, type TokenKeySource } from '@weaver/pii';
import type { RoutedResult } from '../routed-result';
import type { EmbedCallRequest, ModelCallRequest } from '../routing/route-request';
import type { RouterMetrics } from '../router-metrics';
import type { RouterChunk } from '../stream-session';
import { jsonStringBody, rewriteMessages, rewriteToolCalls, type TextRewrite } from './pii-rewrite';
import { RewriteMemo, type MemoisedRewrite } from './rewrite-memo';
import { StreamRestorer } from './stream-restorer';
import type { TenantPiiPolicy } from './pii-policies';

export interface PiiGuardOptions {
  /** The tenant's policy (PiiPolicies.get: cached). */
  readonly policyOf: (tenantId: string) => Promise<TenantPiiPolicy>;
  /** The tenants' token keys (from their data keys); absent: no type is tokenised (PiiPolicies masks it). */
  readonly keys?: TokenKeySource;
  readonly metrics: RouterMetrics;
  /** Outcomes of texts already seen (conversation history); default: 60 s, 5 000 texts. */
  readonly memo?: RewriteMemo;
}

/** Shorter texts are rescanned: hashing them costs about what the scanner's fast path does. */
const MEMO_MIN_CHARS = 200;

/**
 * The router's PII step (issue 10 §3), on the path of every generate, stream and embed call
 * before anything else sees the request's text: the idempotency hash, the response cache key,
 * the provider, the recorded answer and the cache all get the policy-applied text. Answers
 * come back through `restore*`, which puts the tenant's tokens back, so the agent reads its own
 * data while the provider only ever saw tokens or masks.
 */
export class PiiGuard {
  /** One scanner per set of types looked for: a type the policy allows is not scanned at all (names cost the NLP parse). */
  private readonly scanners = new Map<string, PiiScanner>();
  private readonly memo: RewriteMemo;

  constructor(private readonly opts: PiiGuardOptions) {
    this.memo = opts.memo ?? new RewriteMemo();
  }

  async protectCall(req: ModelCallRequest): Promise<ModelCallRequest> {
    const pass = await this.passFor(req.tenantId);
    if (!pass) return req;
    const messages = await rewriteMessages(req.messages, pass.rewrite);
    pass.settle();
    return { ...req, messages };
  }

  async protectEmbed(req: EmbedCallRequest): Promise<EmbedCallRequest> {
    const pass = await this.passFor(req.tenantId);
    if (!pass) return req;
    const texts = await Promise.all(req.texts.map(pass.rewrite));
    pass.settle();
    return { ...req, texts };
  }

  /** The answer with the tenant's tokens put back (content and tool-call arguments). */
  async restore(tenantId: string, r: RoutedResult): Promise<RoutedResult> {
    const keys = this.opts.keys;
    if (!keys || !(r.content.includes('⟦') || r.toolCalls.some((c) => c.arguments.includes('⟦')))) return r;
    return { ...r, content: await detokenise(r.content, tenantId, keys), toolCalls: await rewriteToolCalls(r.toolCalls, (a) => detokeniseJson(a, tenantId, keys)) };
  }

  /** A stream with tokens put back as they complete (text and each tool call's argument fragments). */
  async *restoreStream(tenantId: string, chunks: AsyncIterable<RouterChunk>): AsyncIterable<RouterChunk> {
    const keys = this.opts.keys;
    if (!keys) return yield* chunks;
    const text = new StreamRestorer((t) => detokenise(t, tenantId, keys));
    const args = new Map<number, StreamRestorer>();
    const argsOf = (i: number): StreamRestorer => {
      let r = args.get(i);
      if (!r) args.set(i, (r = new StreamRestorer((t) => detokeniseJson(t, tenantId, keys))));
      return r;
    };
    for await (const c of chunks) {
      if (c.type === 'text') {
        const out = await text.push(c.text);
        if (out) yield { type: 'text', text: out };
      } else if (c.type === 'tool-call') {
        yield { ...c, argumentsDelta: await argsOf(c.index).push(c.argumentsDelta) };
      } else {
        const rest = await text.end();
        if (rest) yield { type: 'text', text: rest };
        for (const [index, r] of args) {
          const tail = await r.end();
          if (tail) yield { type: 'tool-call', index, argumentsDelta: tail };
        }
        yield { type: 'done', result: await this.restore(tenantId, c.result) };
      }
    }
  }

  /**
   * One request's pass over its texts under the tenant's policy, or none when the policy
   * allows every type (nothing is scanned). Refusals are collected over all texts, so the
   * error names every refused type the request holds; counts go to the metrics once per call.
   */
  private async passFor(tenantId: string): Promise<{ rewrite: TextRewrite; settle: () => void } | undefined> {
    const { policy, source, version } = await this.opts.policyOf(tenantId);
    const scanner = this.scannerFor(policy);
    if (!scanner) return undefined;
    const found = new Map<PiiType, number>();
    const refused = new Map<PiiType, number>();
    const ctx = { tenantId, keys: this.opts.keys };
    const started = performance.now();
    const rewrite: TextRewrite = async (text) => {
      const key = text.length >= MEMO_MIN_CHARS ? this.memo.keyOf(tenantId, `${source}:${version}`, text) : undefined;
      const hit = key === undefined ? undefined : this.memo.get(key);
      const out = hit ?? (await rewriteOnce(scanner, text, policy, ctx));
      if (key !== undefined && !hit) this.memo.set(key, out);
      const into = out.refused ? refused : found;
      for (const f of out.findings) into.set(f.type, (into.get(f.type) ?? 0) + f.count);
      return out.refused ? text : out.text;
    };
    const settle = (): void => {
      this.opts.metrics.piiScanSeconds.observe({}, (performance.now() - started) / 1000);
      // A refused call counts only what was refused: the rest of its texts were never sent.
      const counted = refused.size ? refused : found;
      for (const [type, n] of counted) this.opts.metrics.piiEntities.inc({ tenant: tenantId, type, action: policy[type] }, n);
      if (refused.size) throw new PiiRefusedError(findingsOf(refused));
    };
    return { rewrite, settle };
  }

  private scannerFor(policy: PiiPolicy): PiiScanner | undefined {
    const types = PII_TYPES.filter((t) => policy[t] !== 'allow');
    if (!types.length) return undefined;
    const key = types.join(',');
    let s = this.scanners.get(key);
    if (!s) this.scanners.set(key, (s = new PiiScanner({ types })));
    return s;
  }
}

/** The policy applied to one text; a refusal is an outcome here (the call fails once all its texts are seen). */
async function rewriteOnce(scanner: PiiScanner, text: string, policy: PiiPolicy, ctx: { tenantId: string; keys?: TokenKeySource }): Promise<MemoisedRewrite> {
  try {
    const out = await scanner.apply(text, policy, ctx);
    // Findings of allowed types are not kept: they were not acted on (and are not scanned for).
    return { text: out.text, findings: out.findings.filter((f) => policy[f.type] !== 'allow'), refused: false };
  } catch (err) {
    if (!(err instanceof PiiRefusedError)) throw err;
    return { text: '', findings: err.refused, refused: true };
  }
}

const findingsOf = (m: Map<PiiType, number>): PiiFinding[] => PII_TYPES.filter((t) => m.has(t)).map((type) => ({ type, count: m.get(type) ?? 0 }));

/** Tokens inside JSON text (tool-call arguments) put back JSON-escaped. */
async function detokeniseJson(json: string, tenantId: string, keys: TokenKeySource): Promise<string> {
  if (!json.includes('⟦pii:')) return json;
  let out = '';
  let last = 0;
  for (const m of json.matchAll(TOKEN_PATTERN)) {
    const value = await detokenise(m[0], tenantId, keys);
    out += json.slice(last, m.index) + (value === m[0] ? value : jsonStringBody(value));
    last = m.index + m[0].length;
  }
  return out + json.slice(last);
}

