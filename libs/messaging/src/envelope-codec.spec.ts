import { decodeEnvelope, envelopeRecord, newEnvelope, payloadOf } from './envelope-codec';
import { TopicNames } from './topics';

describe('envelope codec', () => {
  it('round-trips an envelope through a Kafka record keyed by run', () => {
    const env = newEnvelope({ tenantId: 't', runId: 'r', workflow: 'wf', type: 'content.requested', producer: 'gateway', payload: { topic: 'AI' } });
    const rec = envelopeRecord(env, new TopicNames('acme').event(env.type));
    expect(rec.topic).toBe('acme.weaver.evt.content.requested.v1');
    expect(rec.key).toBe('r');
    const back = decodeEnvelope(rec);
    expect(back.id).toBe(env.id);
    expect(back.correlationId).toBe(env.id);
    expect(payloadOf(back)).toEqual({ topic: 'AI' });
  });

  it('names the missing fields of a bad envelope', () => {
    const env = newEnvelope({ tenantId: '', runId: '', workflow: 'wf', type: 'x', producer: 'p', payload: null });
    expect(() => decodeEnvelope(envelopeRecord(env, 'any'))).toThrow('event is invalid: envelope.tenantId: is required; envelope.runId: is required');
  });

  it('rejects bytes that are not an envelope', () => {
    expect(() => decodeEnvelope({ value: Buffer.from([0xff, 0xff, 0xff]) })).toThrow(/protobuf/);
  });
});
