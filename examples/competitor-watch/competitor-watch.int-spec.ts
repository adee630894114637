import { definitionOf } from '@weaver/sdk/internal';
import { ExampleStack } from '../test/example-stack';
import { CompetitorWatcher, competitorWatch } from './workflow';

describe('competitor-watch example (plan-style agent, plan verbs, episodic memory) on the real broker and database', () => {
  const stack = new ExampleStack();
  beforeAll(() => stack.start([competitorWatch]));
  afterAll(() => stack.stop());

  it('is declared the plan way: name from the class, publishes read from this.publish, a weekly schedule', () => {
    expect(definitionOf(CompetitorWatcher)).toMatchObject({ name: 'competitor-watcher', publishes: ['watch_report'], capabilities: [{ name: 'market_research' }] });
    expect(competitorWatch.triggerList).toEqual([{ kind: 'schedule', cron: '0 0 * * 0', input: undefined }]);
  });

  it('compares with what it recorded on the previous run', async () => {
    const first = await competitorWatch.run({ competitor: 'Initech' }, { runner: stack.runner });
    expect(first).toMatchObject({ competitor: 'Initech', changed: true, firstLook: true });
    const second = await competitorWatch.run({ competitor: 'Initech' }, { runner: stack.runner });
    // The scripted model answers the same research the same way: nothing changed since last week.
    expect(second).toMatchObject({ competitor: 'Initech', changed: false, firstLook: false, brief: expect.stringContaining('Initech product news') });
  });
});
