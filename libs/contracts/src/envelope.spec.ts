import { events } from './index';

const base: events.Envelope = {
  id: '0b9f4c3e-5d1a-4c47-9a51-6f1d2b0c7e11',
  tenantId: '7c2d1e9a-0f4b-4b8e-a3c6-2a9d8e7f6b51',
  runId: 'e3a1b2c4-d5e6-4f70-8a9b-0c1d2e3f4a5b',
  workflow: 'content-pipeline',
  type: 'content.researched',
  causationId: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
  correlationId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  producer: 'researcher@1.2.0',
  classification: ['pii', 'confidential'],
  subjectId: 'customer-42',
  contentType: 'application/json',
  attempt: 3,
  traceContext: {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    tracestate: 'weaver=1',
  },
  // Above 2^32 so a 32-bit truncation of the int64 would show.
  timeUnixMs: 1_767_225_600_123,
  step: 'research',
};

function roundTrip(envelope: events.Envelope): events.Envelope {
  return events.Envelope.decode(events.Envelope.encode(envelope).finish());
}

describe('Envelope wire format', () => {
  it('round-trips every field with an inline JSON payload', () => {
    const payload = new TextEncoder().encode(JSON.stringify({ topic: 'kafka', words: 1200 }));
    const decoded = roundTrip({ ...base, payload });

    expect(decoded).toEqual({ ...base, payload });
    expect(decoded.resultRef).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(decoded.payload))).toEqual({ topic: 'kafka', words: 1200 });
  });

  it('round-trips a result reference instead of a payload', () => {
    const resultRef: events.ResultRef = {
      uri: 'weaver://results/t/r/research',
      capabilityToken: 'cap.v1.abc',
      contentType: 'application/json',
      sizeBytes: 6_000_000_000,
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    };
    const decoded = roundTrip({ ...base, resultRef });

    expect(decoded).toEqual({ ...base, resultRef });
    expect(decoded.payload).toBeUndefined();
  });

  it('fills proto3 defaults for an empty message', () => {
    const decoded = events.Envelope.decode(new Uint8Array());

    expect(decoded.id).toBe('');
    expect(decoded.attempt).toBe(0);
    expect(decoded.classification).toEqual([]);
    expect(decoded.traceContext).toEqual({});
  });
});
