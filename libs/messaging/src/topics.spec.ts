import { TopicNames } from './topics';

describe('TopicNames.eventTypeOf', () => {
  it('reads the event type back from this namespace’s event topics only', () => {
    const names = new TopicNames('acme');
    expect(names.eventTypeOf(names.event('content.drafted'))).toBe('content.drafted');
    expect(names.eventTypeOf('acme.weaver.evt.content.drafted.v2')).toBeUndefined();
    expect(names.eventTypeOf('other.weaver.evt.content.drafted.v1')).toBeUndefined();
    expect(names.eventTypeOf(names.forTenant('t1', 'isolated').event('content.drafted'))).toBeUndefined();
    expect(names.eventTypeOf(names.triggers)).toBeUndefined();
    expect(names.eventTypeOf(names.dlq(names.group('weaver.agent.x')))).toBeUndefined();
    expect(new TopicNames().eventTypeOf('weaver.evt.a.b.v1')).toBe('a.b');
  });
});
