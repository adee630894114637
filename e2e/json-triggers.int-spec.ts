import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { createKafka, DlqHeaders, readTopicsUntil, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { publicJwkOf, signTriggerRecord } from '@weaver/sdk';
import { type RunningStack, startTestStack } from '@weaver/stack';

const run = promisify(execFile);

/** librdkafka's kcat as the producer: nothing of Weaver's (no protobuf, no client library) writes the record. */
async function kcat(topic: string, key: string, value: string, headers: Record<string, string>): Promise<void> {
  const child = run('kcat', ['-b', process.env['WEAVER_TEST_KAFKA_BROKERS']!, '-P', '-t', topic, '-k', key, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`])]);
  child.child.stdin!.end(value);
  await child;
}

/**
 * A CloudEvent run request written with kcat to the triggers topic of a whole stack (six
 * services): the run completes and is read back over REST; bad records dead-letter naming the
 * field or the signature problem and make no run.
 */
describe('JSON (CloudEvents) triggers through the platform', () => {
  let stack: RunningStack & { namespace: string };
  let names: TopicNames;
  let kafka: KafkaConnection;
  beforeAll(async () => {
    stack = await startTestStack('json-triggers');
    names = new TopicNames(stack.namespace);
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'json-triggers-e2e' });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function waitForRun(apiKey: string, runId: string): Promise<{ status: string; result: unknown }> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const res = await fetch(`${stack.gatewayUrl}/v1/runs/${runId}`, { headers: { 'x-api-key': apiKey } });
      if (res.status !== 200) continue;
      const { run } = (await res.json()) as { run: { status: string; result: unknown } };
      if (run.status === 'completed' || run.status === 'failed') return run;
    }
    throw new Error(`run ${runId} did not finish`);
  }

  it('runs a signed CloudEvent from kcat, and dead-letters a missing field and a bad signature without a run', async () => {
    const acme = await stack.createTenant('acme-events');
    const { privateKey } = generateKeyPairSync('ed25519');
    const registered = await fetch(`${stack.gatewayUrl}/v1/tenants/${acme.tenantId}/trigger-keys`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-token': stack.adminToken }, body: JSON.stringify({ publicJwk: publicJwkOf(privateKey), name: 'events' }) });
    expect(registered.status).toBe(201);
    const topic = names.triggers;
    const event = (id: string, data: Record<string, unknown>) => JSON.stringify({ specversion: '1.0', id, source: 'urn:acme:cms', type: 'dev.weaver.run.requested', weavertenant: acme.tenantId, data });
    const headers = (value: string, signedValue = value) => ({ 'content-type': 'application/cloudevents+json', 'weaver-signature': signTriggerRecord({ topic, value: signedValue, privateKey }) });

    const runId = randomUUID();
    const good = event('ce-1', { workflow: 'content-pipeline', input: { topic: 'CloudEvents' }, runId });
    await kcat(topic, 'good', good, headers(good));
    const missing = event('ce-2', { input: { topic: 'nothing' } });
    await kcat(topic, 'missing', missing, headers(missing));
    const original = event('ce-3', { workflow: 'content-pipeline', input: { topic: 'original' } });
    await kcat(topic, 'forged', original.replace('original', 'forged'), headers(original, original));

    expect(await waitForRun(acme.apiKey, runId)).toMatchObject({ status: 'completed', result: { topic: 'CloudEvents' } });
    const dead = await readTopicsUntil(kafka, [names.dlq(names.group('weaver.dispatcher'))], (rs) => ['missing', 'forged'].every((k) => rs.some((r) => r.key === k)), 60_000);
    const reason = (key: string) => dead.find((r) => r.key === key)?.headers[DlqHeaders.errorMessage];
    expect(reason('missing')).toContain('data.workflow: required');
    expect(reason('forged')).toContain('the signature does not match the record (forged or altered)');
    const runs = (await (await fetch(`${stack.gatewayUrl}/v1/runs`, { headers: { 'x-api-key': acme.apiKey } })).json()) as { runs: Array<{ runId: string }> };
    expect(runs.runs.map((r) => r.runId)).toEqual([runId]);
  });
});
