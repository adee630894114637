import { TopicNames } from '@weaver/messaging';
import { Agent, agent } from '@weaver/sdk';
import { definitionOf } from '@weaver/sdk/internal';
import { PatternSubscription } from './pattern-subscription';

@agent({ name: 'watcher', requires: ['content.*'], publishes: ['watch.noted'] })
class Watcher extends Agent {
  async process() {
    return null;
  }
}

describe('PatternSubscription.topicsFor', () => {
  it("resolves a pattern to this namespace's matching event topics only", () => {
    const names = new TopicNames('acme');
    const existing = [
      names.event('content.drafted'),
      names.event('content.reviewed'),
      names.event('content.draft.v2'), // * is one word
      names.event('order.placed'),
      'other.weaver.evt.content.stolen.v1', // another namespace
      names.forTenant('t1', 'isolated').event('content.isolated'), // an isolated tenant's names
      names.dlq(names.group('weaver.agent.watcher')),
      names.triggers,
      'content.raw', // a user's own topic
    ];
    expect(PatternSubscription.topicsFor(definitionOf(Watcher), names, existing)).toEqual([names.event('content.drafted'), names.event('content.reviewed')]);
    expect(PatternSubscription.topicsFor(definitionOf(Watcher), names, [])).toEqual([]);
  });
});
