/**
 * Benchmark: what one policy decision costs, in process (no network: the tenant's set is loaded,
 * as in the steady state of the gateway, router and runner).
 *   node -r @swc-node/register tools/bench/policy.ts [--seconds 2]
 * (not `npx tsx`: under tsx this loop has crashed V8 on node 20.20, see docs/benchmarks.md)
 * Prints µs per decision for: Cedar's one-shot `isAuthorized` (schema and policies parsed on every
 * call, what the engine avoids), the engine with its decision cache off (every call a
 * `statefulIsAuthorized` on the preparsed set: the cold cost), a cache miss (distinct resources),
 * a cache hit (identical requests: the warm cost), and the Authorizer's whole decide (source,
 * engine, audit event handed over) warm; plus the load of a tenant's set per version.
 */
import { randomUUID } from 'node:crypto';
import type { AuditRecorder } from '../../libs/governance/src';
import { cedar } from '../../libs/policy/src/cedar';
import { Authorizer, BASELINE_POLICIES, PolicyEngine, StaticPolicySource, statementsOf, uidOf, entitiesOf, weaverSchema, type DecisionRequest, type TenantPolicy } from '../../libs/policy/src';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 2);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function usPer(fn: (i: number) => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i++) await fn(i); // warm up (JIT, wasm)
  let n = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) await fn(n + i);
    n += 100;
  }
  return ((performance.now() - started) * 1000) / n;
}

/** A tenant's realistic set: ten statements over classification, workflows, models and tools. */
function tenantPolicies(): TenantPolicy[] {
  const forbids = [
    'forbid (principal is Weaver::ApiKey, action == Weaver::Action::"result.read", resource) when { resource.level >= 2 };',
    'forbid (principal, action == Weaver::Action::"model.call", resource == Weaver::Model::"gpt-4o") when { resource.labels.contains("pii") };',
    'forbid (principal, action == Weaver::Action::"tool.call", resource) when { resource.server == "web" && resource.level >= 2 };',
    'forbid (principal, action == Weaver::Action::"run.start", resource) when { resource.workflow like "experimental-*" };',
    'forbid (principal == Weaver::Agent::"billing/exporter", action == Weaver::Action::"tool.call", resource);',
  ];
  const permits = ['reports', 'billing', 'search', 'support', 'triage'].map((w) => `permit (principal is Weaver::ApiKey, action == Weaver::Action::"run.read", resource) when { principal.roles.contains("auditor") && resource.workflow == "${w}" };`);
  return [...forbids, ...permits].map((text, i) => ({ id: `p${i}`, text }));
}

async function main(): Promise<void> {
  const tenantId = randomUUID();
  const policies = tenantPolicies();
  const modelCall = (i: number): DecisionRequest => ({
    principal: { type: 'Agent', id: 'content-pipeline/writer', tenantId },
    action: 'model.call',
    resource: { type: 'Model', id: `model-${i}`, tenantId, classification: ['confidential'], workflow: 'content-pipeline' },
  });
  const same = modelCall(0);
  say(`policy decisions, ${SECONDS}s per measurement, node ${process.version}, cedar ${cedar.getCedarVersion()}, ${Object.keys(BASELINE_POLICIES).length} baseline + ${policies.length} tenant statements`);

  const staticPolicies = { ...BASELINE_POLICIES, ...Object.assign({}, ...policies.map(statementsOf)) } as Record<string, string>;
  const schema = weaverSchema();
  const oneShot = await usPer(() =>
    cedar.isAuthorized({ principal: uidOf('Agent', same.principal.id), action: { type: 'Weaver::Action', id: same.action }, resource: uidOf('Model', same.resource.id), context: {}, schema, validateRequest: true, policies: { staticPolicies }, entities: entitiesOf(same) }),
  );

  const uncached = new PolicyEngine({ decisionCacheSize: 0 });
  uncached.load(tenantId, 1, policies);
  const cold = await usPer(() => uncached.decide(same));

  const cached = new PolicyEngine({ decisionCacheSize: 10_000 });
  cached.load(tenantId, 1, policies);
  const hit = await usPer(() => cached.decide(same));
  let distinct = 0;
  const miss = await usPer(() => cached.decide(modelCall(1_000_000 + distinct++))); // every key new (the LRU evicts)

  // A set that never reads resource ids (the baseline, classification rules): a new run's first read is a hit.
  const blind = new PolicyEngine({ decisionCacheSize: 10_000 });
  blind.load(tenantId, 1, policies.filter((p) => !p.text.includes('::Model::"') && !p.text.includes('::Agent::"')));
  let runs = 0;
  const newRun = await usPer(() => blind.decide({ principal: { type: 'ApiKey', id: 'key-1', tenantId, roles: ['runner'] }, action: 'result.read', resource: { type: 'Result', id: `run-${runs++}`, tenantId, classification: ['internal'], workflow: 'reports' } }));

  const source = new StaticPolicySource();
  source.put(tenantId, policies);
  const recorder: AuditRecorder = { record: async () => undefined };
  const authz = new Authorizer(new PolicyEngine(), source, recorder);
  const whole = await usPer(() => authz.decide(same, { source: 'bench' }));

  let version = 1;
  const load = await usPer(() => uncached.load(tenantId, ++version, policies));

  say('| measurement | µs per decision |');
  say('| --- | --- |');
  say(`| Cedar isAuthorized, schema + policies parsed per call | ${oneShot.toFixed(1)} |`);
  say(`| engine, decision cache off (statefulIsAuthorized on the preparsed set): cold | ${cold.toFixed(1)} |`);
  say(`| engine, cache miss (distinct resources, LRU insert + evict) | ${miss.toFixed(1)} |`);
  say(`| engine, cache hit (identical request): warm | ${hit.toFixed(2)} |`);
  say(`| engine, a new run id, set that reads no resource ids (key without the id): hit | ${newRun.toFixed(2)} |`);
  say(`| Authorizer.decide warm (source + engine + audit event handed over) | ${whole.toFixed(2)} |`);
  say(`| loading a tenant's set at a new version (preparse ${policies.length} + baseline) | ${load.toFixed(1)} (per load) |`);
}

void main();
