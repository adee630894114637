import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { NotFoundError } from '@weaver/errors';
import { decodeEnvelope, DlqHeaders, envelopeRecord, EventProducer, newEnvelope } from '@weaver/messaging';
import { migrateTestDatabase } from '@weaver/database';
import { createDataSource } from '@weaver/persistence';
import { Agent, agent, publicJwkOf, signTriggerRecord, Workflow } from '@weaver/sdk';
import { TenantDirectory, tenancySchema, TriggerKeyStore } from '@weaver/tenancy-core';
import { cloudEventRunId, dispatcherGroup, TenantGate, type TenantKeys } from '../src';
import { readTopic, RuntimeFixture } from './runtime-fixture';

const run = promisify(execFile);

@agent({ name: 'invoice-taker', requires: ['invoice.received'], publishes: ['invoice.taken'] })
class InvoiceTaker extends Agent<{ invoice: number }> {
  async process({ invoice }: { invoice: number }) {
    return { invoice, taken: true };
  }
}

/** A plain producer outside Weaver: librdkafka's kcat, one record per call with its key and headers. */
async function kcat(topic: string, key: string, value: string, headers: Record<string, string>): Promise<void> {
  const args = ['-b', process.env['WEAVER_TEST_KAFKA_BROKERS']!, '-P', '-t', topic, '-k', key, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`])];
  const child = run('kcat', args);
  child.child.stdin!.end(value);
  await child;
}

describe('CloudEvent (structured JSON) run requests from kcat on the real broker', () => {
  const fx = new RuntimeFixture();
  const invoices = new Workflow('invoice-flow').addAgents(InvoiceTaker);
  let tenancyDs: DataSource;
  let tenant: string;
  let key: KeyObject;
  beforeAll(async () => {
    await fx.open();
    await migrateTestDatabase(fx.db, [{ schema: tenancySchema.schema, migrations: tenancySchema.migrations }]);
    tenancyDs = await createDataSource({ url: fx.db.urlOf('tenancy'), ...tenancySchema, poolSize: 2 }).initialize();
    const keys = new TriggerKeyStore(tenancyDs);
    tenant = (await new TenantDirectory(tenancyDs).createTenant({ name: 'billing' })).tenant.id;
    key = generateKeyPairSync('ed25519').privateKey;
    await keys.register(tenant, JSON.stringify(publicJwkOf(key)), 'billing system');
    const source: TenantKeys = { triggerKeys: (id) => keys.list(id).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e))) };
    await fx.host([invoices], { tenants: new TenantGate(source, { ttlMs: 1_000 }) });
  });
  afterAll(async () => {
    await fx.close().finally(() => tenancyDs?.destroy());
  });

  const event = (id: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ specversion: '1.0', id, source: 'urn:acme:billing', type: 'dev.weaver.run.requested', weavertenant: tenant, datacontenttype: 'application/json', ...extra, data });
  const signed = (value: string, by: KeyObject = key) => ({ 'weaver-signature': signTriggerRecord({ topic: fx.names.triggers, value, privateKey: by }) });
  const ce = { 'content-type': 'application/cloudevents+json; charset=utf-8' };

  it('starts one run per event (sent twice: still one), and dead-letters bad records naming the field, the rule or the signature problem', async () => {
    const givenRunId = randomUUID();
    const good = event('inv-1', { workflow: 'invoice-flow', input: { invoice: 1 }, classification: ['internal'] });
    const noHeader = event('inv-2', { workflow: 'invoice-flow', input: { invoice: 2 }, runId: givenRunId });
    await kcat(fx.names.triggers, 'inv-1', good, { ...ce, ...signed(good) });
    await kcat(fx.names.triggers, 'inv-1-again', good, { ...ce, ...signed(good) }); // a producer retrying after a timeout
    await kcat(fx.names.triggers, 'inv-2', noHeader, signed(noHeader)); // no content-type: told by its first byte
    const bad: Array<[string, string, Record<string, string>]> = [];
    const noWorkflow = event('bad-1', { input: { invoice: 3 } });
    bad.push(['no-workflow', noWorkflow, { ...ce, ...signed(noWorkflow) }]);
    const noInput = event('bad-2', { workflow: 'invoice-flow' }, { specversion: '0.3' });
    bad.push(['no-input', noInput, { ...ce, ...signed(noInput) }]);
    const notJson = '{"specversion": "1.0", "id": ';
    bad.push(['not-json', notJson, { ...ce, ...signed(notJson) }]);
    const unsigned = event('bad-3', { workflow: 'invoice-flow', input: {} });
    bad.push(['unsigned', unsigned, ce]);
    const altered = event('bad-4', { workflow: 'invoice-flow', input: { invoice: 4 } });
    bad.push(['altered', altered.replace('"invoice":4', '"invoice":4000'), { ...ce, ...signed(altered) }]);
    const stranger = event('bad-5', { workflow: 'invoice-flow', input: {} });
    bad.push(['stranger', stranger, { ...ce, ...signed(stranger, generateKeyPairSync('ed25519').privateKey) }]);
    const unknownWorkflow = event('bad-6', { workflow: 'payroll', input: {} });
    bad.push(['unknown-workflow', unknownWorkflow, { ...ce, ...signed(unknownWorkflow) }]);
    bad.push(['binary', '{"invoice": 7}', { ce_specversion: '1.0', ce_type: 'dev.weaver.run.requested', 'content-type': 'application/json' }]);
    for (const [k, value, headers] of bad) await kcat(fx.names.triggers, k, value, headers);
    // The gateway's protobuf trigger still shares the topic.
    const protoRun = randomUUID();
    const producer = new EventProducer(fx.kafka);
    await producer.send([envelopeRecord(newEnvelope({ tenantId: tenant, runId: protoRun, workflow: 'invoice-flow', type: 'run.requested', producer: 'gateway', payload: { input: { invoice: 8 } } }), fx.names.triggers)]);
    await producer.disconnect();

    const firstRun = cloudEventRunId(tenant, { source: 'urn:acme:billing', id: 'inv-1' });
    await fx.until('both events and the protobuf trigger ran', () => [firstRun, givenRunId, protoRun].every((r) => fx.count(r, 'run.completed') > 0));
    expect(await fx.store.getRun(tenant, firstRun)).toMatchObject({ workflow: 'invoice-flow', status: 'completed', input: { invoice: 1 }, result: { invoice: 1, taken: true }, classification: ['internal'] });
    expect(await fx.store.getRun(tenant, givenRunId)).toMatchObject({ status: 'completed', result: { invoice: 2, taken: true } });

    const dead = await readTopic(fx.kafka, fx.names.dlq(dispatcherGroup(fx.names)), (rs) => rs.length >= bad.length);
    const reasons = Object.fromEntries(dead.map((r) => [r.key, r.headers[DlqHeaders.errorMessage]]));
    expect(Object.keys(reasons).sort()).toEqual(bad.map(([k]) => k).sort());
    expect(reasons['no-workflow']).toContain('data.workflow: required');
    expect(reasons['no-input']).toContain('specversion: must be "1.0" (CloudEvents 1.0); data.input: required');
    expect(reasons['not-json']).toContain('record.value: must be a JSON document');
    expect(reasons['unsigned']).toContain('unsigned: the "weaver-signature" header is missing');
    expect(reasons['altered']).toContain('the signature does not match the record (forged or altered)');
    expect(reasons['stranger']).toContain('unknown key id');
    expect(reasons['unknown-workflow']).toContain('unknown workflow "payroll"');
    expect(reasons['binary']).toContain('headers.ce_specversion: binary content mode is not accepted');
    // Nothing lost: each dead letter is the record as written, with where it came from.
    expect(dead.find((r) => r.key === 'altered')?.value.toString()).toContain('"invoice":4000');
    expect(dead.every((r) => r.headers[DlqHeaders.sourceTopic] === fx.names.triggers)).toBe(true);

    // Runs: the two events (the retried one once) and the protobuf trigger; a verified event for an
    // unknown workflow is a failed run, every other bad record no run at all.
    const runs = await fx.store.listRuns(tenant);
    const failed = cloudEventRunId(tenant, { source: 'urn:acme:billing', id: 'bad-6' });
    expect(runs.map((r) => r.runId).sort()).toEqual([firstRun, givenRunId, protoRun, failed].sort());
    expect(runs.find((r) => r.runId === failed)).toMatchObject({ status: 'failed' });
    // The event written twice is one run: both triggers emit the same entry event id, and the step's
    // output (write-once step record) is one event id however often it is re-emitted — as for a
    // protobuf trigger written twice.
    const ids = async (type: string) => {
      const records = await readTopic(fx.kafka, fx.names.event(type), (rs) => rs.some((r) => r.key === firstRun));
      return new Set(records.filter((r) => r.key === firstRun).map((r) => decodeEnvelope(r).id));
    };
    expect((await ids('invoice.received')).size).toBe(1);
    expect((await ids('invoice.taken')).size).toBe(1);
  });
});
