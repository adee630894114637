import { FailedPreconditionError } from '@weaver/errors';
import { BASELINE_POLICIES } from './baseline-policies';
import { cedar } from './cedar';
import { LruMap } from './decision-cache';
import { decisionKeyOf, entitiesOf, uidOf, type DecisionRequest } from './entities';
import { statementsOf, type TenantPolicy } from './policy-validation';
import { readsResourceIdentity } from './resource-identity';
import { NAMESPACE, weaverSchema } from './weaver-schema';

/** What the engine answered and why. */
export interface Decision {
  allowed: boolean;
  /**
   * Cedar's determining policies: on allow the permits that matched; on deny the forbids that
   * matched, or none — then nothing permitted it (deny by default).
   */
  policies: readonly string[];
  /** Policies that failed to evaluate (`<policy id>: <message>`); they are skipped, which only ever denies more. */
  errors: readonly string[];
  /** Whose policy set decided, at which version. */
  tenantId: string;
  version: number;
}

export interface PolicyEngineOptions {
  /** Decisions kept for identical requests (LRU); 0 disables the cache. */
  decisionCacheSize?: number;
}

interface LoadedSet {
  version: number;
  setId: string;
  statements: Record<string, string>;
  /** Some statement tells resources apart by id: the decision cache must key on it. */
  byResourceId: boolean;
}

const SCHEMA_NAME = 'weaver';
const BASELINE_SET = 'weaver.baseline';
const BASELINE: LoadedSet = { version: 0, setId: BASELINE_SET, statements: {}, byResourceId: false };
let schemaPrepared = false;

/** The schema and the baseline set, parsed once per process (Cedar keeps them in wasm memory). */
function prepareShared(): void {
  if (schemaPrepared) return;
  const schema = cedar.preparseSchema(SCHEMA_NAME, weaverSchema());
  if (schema.type === 'failure') throw new FailedPreconditionError(`Weaver's Cedar schema does not parse: ${schema.errors.map((e) => e.message).join('; ')}`);
  const base = cedar.preparsePolicySet(BASELINE_SET, { staticPolicies: { ...BASELINE_POLICIES } });
  if (base.type === 'failure') throw new FailedPreconditionError(`baseline policies do not parse: ${base.errors.map((e) => e.message).join('; ')}`);
  schemaPrepared = true;
}

/**
 * A platform admin managing a tenant's policies is decided by the baseline alone: a tenant
 * policy (a careless `forbid (principal, action, resource);`) must not lock out the one who can
 * fix it. Everything else an admin does is subject to the tenant's policies.
 */
const isBreakGlass = (req: DecisionRequest): boolean => req.principal.type === 'Admin' && req.action.startsWith('admin.policy.');

/**
 * Cedar in process. Each tenant's set (baseline + its own policies) is parsed once per version
 * with Cedar's stateful API (`preparsePolicySet`, kept in wasm memory under the tenant's id and
 * replaced when the version changes, so memory is bounded by the number of tenants), then every
 * decision is one `statefulIsAuthorized` on two small entities — or a hit in a bounded LRU of
 * identical requests, keyed by (tenant, version, principal, action, resource attributes), so a
 * new version never answers from an old decision.
 */
export class PolicyEngine {
  private readonly sets = new Map<string, LoadedSet>();
  private readonly decisions: LruMap<Decision> | undefined;

  constructor(options: PolicyEngineOptions = {}) {
    prepareShared();
    const size = options.decisionCacheSize ?? 10_000;
    this.decisions = size > 0 ? new LruMap(size) : undefined;
  }

  /** The version of the tenant's set this engine holds, if any. */
  versionOf(tenantId: string): number | undefined {
    return this.sets.get(tenantId)?.version;
  }

  /** Installs a tenant's policies at `version` (no-op when already there). Policies were validated when stored. */
  load(tenantId: string, version: number, policies: readonly TenantPolicy[]): void {
    if (this.sets.get(tenantId)?.version === version) return;
    const statements = Object.assign({}, ...policies.map(statementsOf)) as Record<string, string>;
    if (!policies.length) {
      this.sets.set(tenantId, { ...BASELINE, version });
      return;
    }
    const setId = `tenant:${tenantId}`;
    const parsed = cedar.preparsePolicySet(setId, { staticPolicies: { ...BASELINE_POLICIES, ...statements } });
    if (parsed.type === 'failure') throw new FailedPreconditionError(`policies of tenant ${tenantId} v${version} do not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
    this.sets.set(tenantId, { version, setId, statements, byResourceId: Object.values(statements).some(readsResourceIdentity) });
  }

  /** The text of a determining policy (baseline or the tenant's), for explanations. */
  textOf(tenantId: string, policyId: string): string | undefined {
    return BASELINE_POLICIES[policyId] ?? this.sets.get(tenantId)?.statements[policyId];
  }

  /** Whose set decides a request: the resource owner's, else the principal's tenant; "" = platform (baseline only). */
  static tenantOf(req: DecisionRequest): string {
    return req.resource.tenantId ?? req.principal.tenantId ?? '';
  }

  decide(req: DecisionRequest): Decision {
    const tenantId = PolicyEngine.tenantOf(req);
    const set = tenantId && !isBreakGlass(req) ? this.sets.get(tenantId) : BASELINE;
    if (!set) throw new FailedPreconditionError(`the policies of tenant ${tenantId} are not loaded`, { tenantId });
    const key = this.decisions && decisionKeyOf(tenantId, set.version, req, set.byResourceId);
    const hit = key === undefined ? undefined : this.decisions?.get(key);
    if (hit) return hit;
    const decision = this.evaluate(req, tenantId, set.version, set.setId);
    if (key !== undefined) this.decisions?.set(key, decision);
    return decision;
  }

  private evaluate(req: DecisionRequest, tenantId: string, version: number, setId: string): Decision {
    const answer = cedar.statefulIsAuthorized({
      principal: uidOf(req.principal.type, req.principal.id),
      action: { type: `${NAMESPACE}::Action`, id: req.action },
      resource: uidOf(req.resource.type, req.resource.id),
      context: {},
      preparsedSchemaName: SCHEMA_NAME,
      validateRequest: true,
      preparsedPolicySetId: setId,
      entities: entitiesOf(req),
    });
    // A request Cedar cannot evaluate (e.g. an action that does not apply to the resource type) is denied: fail closed.
    if (answer.type === 'failure') return { allowed: false, policies: [], errors: answer.errors.map((e) => e.message), tenantId, version };
    const { decision, diagnostics } = answer.response;
    return {
      allowed: decision === 'allow',
      policies: [...diagnostics.reason].sort(),
      errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
      tenantId,
      version,
    };
  }
}
