import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyAcls, checkKafkaConnection, createKafka, explainKafkaError, DlqHeaders, EventProducer, envelopeRecord, newEnvelope, readTopicsUntil, TopicNames, weaverAcls, type KafkaConnection, type KafkaSecurity } from '@weaver/messaging';
import { PermissionDeniedError, UnauthenticatedError } from '@weaver/errors';
import { KafkaAuditRecorder } from '@weaver/audit';
import { publicJwkOf, signTriggerRecord } from '@weaver/sdk';
import { type RunningBroker, type RunningStack, startBroker, startTestStack } from '@weaver/stack';
import { SIGNED_ORDERS_TOPIC as topic } from './fixtures/signed-orders.workflow';

/**
 * The pipeline on a secured broker (tools/kafka secured mode: SASL_SSL with a development CA,
 * SCRAM users, ACLs): the gateway and the agent-runner connect as their own principals with
 * least-privilege ACLs, a tenant principal may only write its own `kafka:` topic, and signed
 * trigger records run while others dead-letter. One broker for the file, on its own port.
 */
describe('Kafka security end to end (SASL_SSL, SCRAM, ACLs, signed triggers)', () => {
  const namespace = `e2e-sec-${randomUUID().slice(0, 8)}`;
  const names = new TopicNames(namespace);
  const dataDir = mkdtempSync(join(tmpdir(), 'weaver-kafka-secured-'));
  let broker: RunningBroker;
  let stack: RunningStack;
  const connections: KafkaConnection[] = [];
  const as = (user: string, password?: string): KafkaConnection => {
    const security: KafkaSecurity = { tls: { caFile: broker.security!.caFile }, sasl: { mechanism: 'scram-sha-512', username: user, password: password === undefined ? { file: broker.security!.passwordFile(user) } : { value: password } } };
    const c = createKafka({ brokers: [broker.brokers], clientId: `e2e-${user}`, security });
    connections.push(c);
    return c;
  };
  const serviceEnv = (user: string) => ({
    KAFKA_TLS_CA_FILE: broker.security!.caFile,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD_FILE: broker.security!.passwordFile(user),
  });

  beforeAll(async () => {
    broker = await startBroker({ dataDir, port: Number(process.env['WEAVER_TEST_KAFKA_PORT'] ?? 19092) + 40, security: { users: ['gateway', 'agent-runner', 'tenancy', 'router', 'tenant-acme'] }, onProgress: () => undefined });
    await applyAcls(as('admin'), weaverAcls(names, { gateway: 'gateway', agentRunner: 'agent-runner', tenancy: 'tenancy', router: 'router', triggerTopics: [topic], tenants: [{ principal: 'tenant-acme', topics: [topic] }] }));
    stack = await startTestStack('kafka-security', {
      kafkaBrokers: broker.brokers,
      namespace,
      workflows: ['examples/content-pipeline/workflow.ts', 'e2e/fixtures/signed-orders.workflow.ts'],
      // Tenancy's audit chainer and the router's decision audit connect as their own principals, with only the audit rights weaverAcls gives them.
      env: { gateway: serviceEnv('gateway'), 'agent-runner': { ...serviceEnv('agent-runner'), TENANT_CACHE_TTL_MS: '500' }, tenancy: serviceEnv('tenancy'), router: serviceEnv('router') },
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function waitForRun(apiKey: string, runId: string): Promise<{ status: string; result: unknown }> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const res = await fetch(`${stack.gatewayUrl}/v1/runs/${runId}`, { headers: { 'x-api-key': apiKey } });
      if (res.status === 200) {
        const { run } = (await res.json()) as { run: { status: string; result: unknown } };
        if (run.status === 'completed' || run.status === 'failed') return run;
      }
    }
    throw new Error(`run ${runId} did not finish`);
  }

  it('runs the content pipeline through services that authenticate as their own principals', async () => {
    const acme = await stack.createTenant('acme');
    const res = await fetch(`${stack.gatewayUrl}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': acme.apiKey }, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic: 'TLS' } }) });
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: { runId: string } };
    expect(await waitForRun(acme.apiKey, run.runId)).toMatchObject({ status: 'completed', result: { topic: 'TLS' } });
  });

  it('runs a signed record a tenant writes to its own topic, and dead-letters a forged one', async () => {
    const acme = await stack.createTenant('acme-orders');
    const { privateKey } = generateKeyPairSync('ed25519');
    const registered = await fetch(`${stack.gatewayUrl}/v1/tenants/${acme.tenantId}/trigger-keys`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-token': stack.adminToken }, body: JSON.stringify({ publicJwk: publicJwkOf(privateKey), name: 'orders' }) });
    expect(registered.status).toBe(201);
    const producer = new EventProducer(as('tenant-acme'));
    const value = JSON.stringify({ orderId: 1 });
    const forged = JSON.stringify({ orderId: 2 });
    await producer.send([
      { topic, key: 'good', value: Buffer.from(value), headers: { 'weaver-tenant': acme.tenantId, 'weaver-signature': signTriggerRecord({ topic, value, privateKey }) } },
      { topic, key: 'forged', value: Buffer.from(forged), headers: { 'weaver-tenant': acme.tenantId, 'weaver-signature': signTriggerRecord({ topic, value, privateKey }) } },
    ]);
    await producer.disconnect();
    const runner = as('agent-runner');
    const dead = await readTopicsUntil(runner, [names.dlq(names.group('weaver.trigger.signed-orders'))], (rs) => rs.some((r) => r.key === 'forged'), 60_000);
    expect(dead.find((r) => r.key === 'forged')?.headers[DlqHeaders.errorMessage]).toContain('the signature does not match the record (forged or altered)');
    const started = await readTopicsUntil(runner, [names.triggers], (rs) => rs.some((r) => r.headers['weaver-tenant'] === acme.tenantId), 60_000);
    const runId = started.find((r) => r.headers['weaver-tenant'] === acme.tenantId)!.key!;
    expect(await waitForRun(acme.apiKey, runId)).toMatchObject({ status: 'completed', result: { orderId: 1, filed: true } });
    const runs = (await (await fetch(`${stack.gatewayUrl}/v1/runs`, { headers: { 'x-api-key': acme.apiKey } })).json()) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(1); // the forged record made no run
  });

  it("chains audit events with tenancy's own principal and nothing but its audit rights", async () => {
    const acme = await stack.createTenant('acme-audit');
    const producer = new EventProducer(as('gateway'));
    try {
      const id = `acl-${randomUUID()}`;
      await new KafkaAuditRecorder(producer, names).record([
        { id, tenantId: acme.tenantId, at: new Date().toISOString(), principal: { type: 'ApiKey', id: 'k' }, action: 'run.read', resource: { type: 'Run', id: 'r' }, decision: 'allow', reasons: ['p'], source: 'e2e' },
      ]);
      for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
        const res = await fetch(`${stack.gatewayUrl}/v1/admin/tenants/${acme.tenantId}/audit/entries?action=run.read`, { headers: { 'x-admin-token': stack.adminToken } });
        const body = (await res.json()) as { entries?: { entry: string }[] };
        if (body.entries?.some((e) => e.entry.includes(id))) break;
        if (Date.now() > deadline) throw new Error(`the audit event was not chained: ${res.status} ${JSON.stringify(body)}`);
      }
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses a tenant principal anything beyond its own topic: it cannot write triggers for any tenant', async () => {
    const tenantConnection = as('tenant-acme');
    const producer = new EventProducer(tenantConnection, undefined, { retries: 1 });
    const trigger = newEnvelope({ tenantId: randomUUID(), runId: randomUUID(), workflow: 'content-pipeline', type: 'run.requested', producer: 'intruder', payload: { input: { topic: 'x' } } });
    const error = await producer.send([envelopeRecord(trigger, names.triggers)]).then(() => undefined, (e: unknown) => e);
    await producer.disconnect().catch(() => undefined);
    const explained = explainKafkaError(tenantConnection, error);
    expect(explained).toBeInstanceOf(PermissionDeniedError);
    expect(explained.message).toContain('(SASL SCRAM-SHA-512 as "tenant-acme", TLS): TOPIC_AUTHORIZATION_FAILED — the principal lacks an ACL for this operation');
  });

  it('fails to connect with a wrong password, saying the broker refused the credentials', async () => {
    const error = await checkKafkaConnection(as('gateway', 'not-the-password')).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toMatch(/^Kafka at 127\.0\.0\.1:\d+ \(SASL SCRAM-SHA-512 as "gateway", TLS\) refused the credentials: .*SCRAM/);
    expect((error as Error).message).not.toContain('not-the-password');
    // And without the development CA the broker's certificate is not trusted.
    const untrusted = createKafka({ brokers: [broker.brokers], clientId: 'e2e-untrusted', security: { tls: {}, sasl: { mechanism: 'scram-sha-512', username: 'gateway', password: { file: broker.security!.passwordFile('gateway') } } } });
    const tlsError = await checkKafkaConnection(untrusted).then(() => undefined, (e: unknown) => e);
    expect((tlsError as Error).message).toContain("the broker's TLS certificate is not trusted");
  });
});
