import { ValidationError } from '@weaver/errors';
import { recordFormat } from '@weaver/messaging';
import { cloudEventRunId, parseCloudEventTrigger } from './cloudevent-trigger';

const tenant = '7d9f2c1e-3b4a-4c5d-8e6f-0a1b2c3d4e5f';
const at = { topic: 'weaver.triggers.v1', partition: 0, offset: '7' };
const event = (patch: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-1',
  source: 'urn:acme:billing',
  type: 'dev.weaver.run.requested',
  weavertenant: tenant,
  ...patch,
  data: { workflow: 'order-flow', input: { orderId: 1 }, ...data },
});
const violations = (value: string): string[] => {
  try {
    parseCloudEventTrigger({ ...at, value: Buffer.from(value) });
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => `${v.field}: ${v.rule}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('CloudEvent run requests', () => {
  it('parses a structured-mode run request, keeping unknown attributes out of the way', () => {
    const parsed = parseCloudEventTrigger({ ...at, value: Buffer.from(JSON.stringify(event({ subject: 'order 1', traceparent: '00-abc' }, { classification: ['confidential'], subjectId: 'cust-9' }))) });
    expect(parsed.data).toEqual({ workflow: 'order-flow', input: { orderId: 1 }, classification: ['confidential'], subjectId: 'cust-9' });
    expect(parsed.weavertenant).toBe(tenant);
  });

  it('names the field and the rule of each violation', () => {
    const { workflow: _w, ...noWorkflow } = event().data;
    expect(violations(JSON.stringify({ ...event(), data: noWorkflow }))).toEqual(['data.workflow: required']);
    expect(violations(JSON.stringify({ ...event(), data: { workflow: 'order-flow' } }))).toEqual(['data.input: required']);
    expect(violations(JSON.stringify(event({ specversion: '0.3', weavertenant: 'acme' })))).toEqual(['specversion: must be "1.0" (CloudEvents 1.0)', 'weavertenant: must be a tenant id (UUID)']);
    const { id: _i, source: _s, ...bare } = event();
    expect(violations(JSON.stringify(bare))).toEqual(['id: required', 'source: required']);
    expect(violations(JSON.stringify(event({ type: 'com.acme.order' }, { imput: 1, runId: 'r1' })))).toEqual([
      'type: must be "dev.weaver.run.requested"',
      'data.runId: must be a UUID',
      'data.imput: is not a field of a run request (workflow, input, runId, classification, subjectId)',
    ]);
    expect(violations(JSON.stringify(event({}, { input: null, classification: 'secret' })))).toEqual(['data.classification: must be a list of labels']);
    expect(violations('{"specversion": "1.0",')).toEqual(['record.value: must be a JSON document (a CloudEvent in structured mode)']);
    expect(violations('[1]')).toEqual(['(root): must be a JSON object (a CloudEvent)']);
  });

  it('derives the run id from (tenant, source, id): the same event sent twice is one run', () => {
    const a = cloudEventRunId(tenant, { source: 'urn:acme', id: '1' });
    expect(cloudEventRunId(tenant, { source: 'urn:acme', id: '1' })).toBe(a);
    expect(cloudEventRunId(tenant, { source: 'urn:acme', id: '2' })).not.toBe(a);
    expect(cloudEventRunId('00000000-0000-4000-8000-000000000000', { source: 'urn:acme', id: '1' })).not.toBe(a);
  });

  it('tells the formats apart by content-type, then by the first byte', () => {
    const proto = Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]);
    expect(recordFormat({ value: Buffer.from('{}'), headers: {} })).toBe('cloudevents-json');
    expect(recordFormat({ value: Buffer.from(' {}'), headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } })).toBe('cloudevents-json');
    expect(recordFormat({ value: Buffer.from('x'), headers: { ce_specversion: '1.0' } })).toBe('cloudevents-binary');
    expect(recordFormat({ value: proto, headers: { 'weaver-tenant': tenant } })).toBe('protobuf');
  });
});
