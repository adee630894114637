import { decodeLetterCursor, encodeLetterCursor, letterId, parseLetterId } from './dead-letter-ids';

describe('dead letter ids and cursors', () => {
  it('round-trips an id through its DLQ topic, group, partition and offset', () => {
    const id = letterId('weaver.dlq.ns.weaver.agent.writer.v1', 0, '42');
    expect(id).toBe('ns.weaver.agent.writer~0~42');
    expect(parseLetterId(id)).toEqual({ group: 'ns.weaver.agent.writer', topic: 'weaver.dlq.ns.weaver.agent.writer.v1', partition: 0, offset: '42' });
  });

  it('refuses ids and cursors it did not hand out, naming the field and rule', () => {
    expect(() => parseLetterId('a/b~0~1')).toThrow('id: must be a dead letter id (<group>~<partition>~<offset>) this API returned');
    expect(() => decodeLetterCursor('not-a-cursor')).toThrow('cursor: must be a nextCursor this API returned');
    expect(() => decodeLetterCursor(Buffer.from(JSON.stringify({ t: 'weaver.dlq.g.v1', f: { 0: 'x' } })).toString('base64url'))).toThrow('cursor');
    const c = { topic: 'weaver.dlq.g.v1', from: new Map([[0, 7n]]) };
    expect(decodeLetterCursor(encodeLetterCursor(c))).toEqual(c);
  });
});
