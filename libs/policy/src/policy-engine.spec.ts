import { ACTIONS, type Principal, type ResourceRef } from '@weaver/governance';
import { MemoryAuditRecorder } from './audit-recorders';
import { Authorizer, DEFAULT_DENY } from './authorizer';
import { PolicyEngine } from './policy-engine';
import { StaticPolicySource } from './policy-source';
import { assertValidPolicy, policyViolations } from './policy-validation';
import { weaverSchema } from './weaver-schema';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const key = (tenantId = T1, roles = ['runner']): Principal => ({ type: 'ApiKey', id: 'key-1', tenantId, roles });
const run = (tenantId = T1, classification: string[] = []): ResourceRef => ({ type: 'Result', id: 'run-1', tenantId, classification, workflow: 'wf' });

describe('PolicyEngine', () => {
  const engine = new PolicyEngine();
  beforeAll(() => engine.load(T1, 0, []));

  it('generates one schema action per ACTIONS entry (plus the admin group)', () => {
    expect(Object.keys(weaverSchema()['Weaver']?.actions ?? {}).sort()).toEqual([...ACTIONS, 'admin'].sort());
  });

  it('allows a tenant key to read its own results, naming the permit', () => {
    const d = engine.decide({ principal: key(), action: 'result.read', resource: run() });
    expect(d).toMatchObject({ allowed: true, policies: ['weaver.baseline.runner'], errors: [] });
  });

  it('denies by default what no policy permits', () => {
    const d = engine.decide({ principal: key(), action: 'admin.policy.write', resource: { type: 'Policy', id: 'p', tenantId: T1 } });
    expect(d).toMatchObject({ allowed: false, policies: [] });
  });

  it('denies across tenants by the tenant-boundary forbid, even to a tenant admin key', () => {
    engine.load(T2, 0, []);
    const d = engine.decide({ principal: key(T1, ['runner', 'admin']), action: 'result.read', resource: run(T2) });
    expect(d).toMatchObject({ allowed: false, policies: ['weaver.baseline.tenant-boundary'] });
  });

  it('lets admin-token holders (Admin, admin role) administer any tenant, and nobody else', () => {
    const admin: Principal = { type: 'Admin', id: 'admin-token', roles: ['admin'] };
    expect(engine.decide({ principal: admin, action: 'admin.policy.write', resource: { type: 'Policy', id: 'p', tenantId: T2 } }).allowed).toBe(true);
    expect(engine.decide({ principal: key(), action: 'dlq.replay', resource: { type: 'DeadLetter', id: 'g' } }).allowed).toBe(false);
    expect(engine.decide({ principal: key(T1, ['admin']), action: 'admin.key.manage', resource: { type: 'ApiKey', id: 'trigger-key', tenantId: T1 } })).toMatchObject({ allowed: true, errors: [] });
  });

  it('lets a verified capability token (Service, capability role) read results of its tenant only', () => {
    const holder: Principal = { type: 'Service', id: 'capability-token', tenantId: T1, roles: ['capability'] };
    expect(engine.decide({ principal: holder, action: 'result.read', resource: run() }).policies).toEqual(['weaver.baseline.capability']);
    expect(engine.decide({ principal: holder, action: 'run.read', resource: { type: 'Run', id: 'r', tenantId: T1 } }).allowed).toBe(false);
    expect(engine.decide({ principal: holder, action: 'result.read', resource: run(T2) }).policies).toEqual(['weaver.baseline.tenant-boundary']);
  });

  it('never lets a tenant policy lock the platform admin out of its policies (break glass)', () => {
    const e = new PolicyEngine();
    e.load(T1, 1, [{ id: 'lockout', text: 'forbid (principal, action, resource);' }]);
    const admin: Principal = { type: 'Admin', id: 'admin-token', roles: ['admin'] };
    expect(e.decide({ principal: admin, action: 'admin.policy.write', resource: { type: 'Policy', id: 'p', tenantId: T1 } }).allowed).toBe(true);
    expect(e.decide({ principal: admin, action: 'admin.tenant.read', resource: { type: 'Tenant', id: T1, tenantId: T1 } }).policies).toEqual(['lockout']);
  });

  it('lets a forbid of the tenant win over the baseline permit, and explains it; a new version applies at once', () => {
    const e = new PolicyEngine();
    e.load(T1, 0, []);
    expect(e.decide({ principal: key(), action: 'result.read', resource: run(T1, ['confidential']) }).allowed).toBe(true);
    e.load(T1, 1, [{ id: 'no-confidential-results', text: 'forbid (principal is Weaver::ApiKey, action == Weaver::Action::"result.read", resource)\nwhen { resource.level >= 2 };' }]);
    const d = e.decide({ principal: key(), action: 'result.read', resource: run(T1, ['confidential']) });
    expect(d).toMatchObject({ allowed: false, policies: ['no-confidential-results'], version: 1 });
    expect(e.textOf(T1, 'no-confidential-results')).toContain('resource.level >= 2');
    expect(e.decide({ principal: key(), action: 'result.read', resource: run(T1, ['internal']) }).allowed).toBe(true);
  });

  it('lets agents call their tenant models unless a tenant policy forbids the model', () => {
    const e = new PolicyEngine();
    const agent: Principal = { type: 'Agent', id: 'wf/writer', tenantId: T1 };
    const model = (id: string): ResourceRef => ({ type: 'Model', id, tenantId: T1, classification: ['pii'] });
    e.load(T1, 3, [{ id: 'models', text: 'permit (principal, action, resource) when { false };\nforbid (principal, action == Weaver::Action::"model.call", resource == Weaver::Model::"gpt-4o");' }]);
    expect(e.decide({ principal: agent, action: 'model.call', resource: model('llama') }).policies).toEqual(['weaver.baseline.agent']);
    expect(e.decide({ principal: agent, action: 'model.call', resource: model('gpt-4o') })).toMatchObject({ allowed: false, policies: ['models#2'] });
  });

  it('answers identical requests from its cache, and different attributes are different entries', () => {
    const e = new PolicyEngine({ decisionCacheSize: 2 });
    e.load(T1, 0, []);
    const first = e.decide({ principal: key(), action: 'run.read', resource: { type: 'Run', id: 'r', tenantId: T1 } });
    expect(e.decide({ principal: key(), action: 'run.read', resource: { type: 'Run', id: 'r', tenantId: T1 } })).toBe(first);
    expect(e.decide({ principal: key(T1, ['reader']), action: 'run.start', resource: { type: 'Run', id: 'r', tenantId: T1 } }).allowed).toBe(false);
  });

  it('leaves resource ids out of the cache key unless a policy reads them', () => {
    const e = new PolicyEngine();
    const read = (id: string) => e.decide({ principal: key(), action: 'run.read', resource: { type: 'Run', id, tenantId: T1 } });
    e.load(T1, 1, [{ id: 'by-level', text: 'forbid (principal, action == Weaver::Action::"run.read", resource) when { resource.level >= 3 };' }]);
    expect(read('run-a')).toBe(read('run-b'));
    e.load(T1, 2, [{ id: 'one-run', text: 'forbid (principal, action == Weaver::Action::"run.read", resource == Weaver::Run::"run-b");' }]);
    expect([read('run-a').allowed, read('run-b').allowed]).toEqual([true, false]);
    e.load(T1, 3, [{ id: 'by-name', text: 'forbid (principal, action == Weaver::Action::"run.read", resource) when { resource.name == "run-a" };' }]);
    expect([read('run-a').allowed, read('run-b').allowed]).toEqual([false, true]);
  });

  it('fails closed on a request the schema does not allow (action on the wrong resource type)', () => {
    const d = engine.decide({ principal: key(), action: 'model.call', resource: run() });
    expect(d.allowed).toBe(false);
    expect(d.errors.join(' ')).toMatch(/Result|not valid|resource/i);
  });

  it('refuses to decide for a tenant whose set was never loaded', () => {
    expect(() => new PolicyEngine().decide({ principal: key(T2), action: 'run.read', resource: { type: 'Run', id: 'r', tenantId: T2 } })).toThrow(/not loaded/);
  });
});

describe('policy validation', () => {
  it('points at the line and column of a misspelt attribute, with Cedar\'s message and hint', () => {
    const text = 'permit (principal, action == Weaver::Action::"run.read", resource)\nwhen { resource.clasification == "x" };';
    const [v, ...rest] = policyViolations(text);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ line: 2, column: 8 });
    expect(v?.message).toMatch(/clasification/);
  });

  it('points at a syntax error', () => {
    const [v] = policyViolations('permit (principal, action, resource)\n  when { resource.level > };');
    expect(v).toMatchObject({ line: 2 });
    expect(v?.message).toMatch(/unexpected token/);
  });

  it('counts columns in characters, not bytes', () => {
    // Cedar reports UTF-8 byte offsets; é and € are 2 and 3 bytes.
    const [v] = policyViolations('// é€\npermit (principal, action, resource) when { "é€" == "x" || resource.nope };');
    expect(v).toMatchObject({ line: 2, column: 60 });
  });

  it('rejects unknown actions, reserved ids and empty text as ValidationError naming text:line:col', () => {
    expect(() => assertValidPolicy({ id: 'p', text: 'permit (principal, action == Weaver::Action::"run.delete", resource);' })).toThrow(/text:1:\d+: .*run\.delete/);
    expect(() => assertValidPolicy({ id: 'weaver.mine', text: 'permit (principal, action, resource);' })).toThrow(/id: /);
    expect(() => assertValidPolicy({ id: 'p', text: '// nothing' })).toThrow(/no policy/);
  });
});

describe('Authorizer', () => {
  it('records an audit event per decision with the determining policies and throws a safe PermissionDeniedError', async () => {
    const source = new StaticPolicySource();
    source.put(T1, [{ id: 'no-start', text: 'forbid (principal, action == Weaver::Action::"run.start", resource);' }]);
    const audit = new MemoryAuditRecorder();
    const authz = new Authorizer(new PolicyEngine(), source, audit);
    const origin = { source: '10.0.0.1', correlationId: 'corr-1' };
    await authz.authorize({ principal: key(), action: 'run.read', resource: { type: 'Run', id: 'r', tenantId: T1 } }, origin);
    await expect(authz.authorize({ principal: key(), action: 'run.start', resource: { type: 'Run', id: 'r', tenantId: T1 } }, origin)).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: 'run.start on Run denied: forbidden by policy no-start',
    });
    await expect(authz.authorize({ principal: key(), action: 'admin.erasure', resource: { type: 'Tenant', id: T1, tenantId: T1 } }, origin)).rejects.toMatchObject({ details: { policies: [DEFAULT_DENY] } });
    expect(audit.events.map((e) => [e.action, e.decision, e.reasons, e.source, e.correlationId, e.tenantId])).toEqual([
      ['run.read', 'allow', ['weaver.baseline.runner'], '10.0.0.1', 'corr-1', T1],
      ['run.start', 'deny', ['no-start'], '10.0.0.1', 'corr-1', T1],
      ['admin.erasure', 'deny', [DEFAULT_DENY], '10.0.0.1', 'corr-1', T1],
    ]);
  });
});
