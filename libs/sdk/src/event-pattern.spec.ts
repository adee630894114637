import { Agent, agent } from './index';
import { eventPatternProblems, matchesEventType, typesMatching } from './event-pattern';
import { Workflow } from './workflow';

function make(name: string, requires: string[], publishes: string[]) {
  @agent({ name, requires, publishes })
  class A extends Agent {
    async process(): Promise<unknown> {
      return null;
    }
  }
  return A;
}

describe('event-type patterns', () => {
  it('matches * as exactly one word and # as any number of words, on whole types', () => {
    expect(typesMatching(['content.*'], ['content.drafted', 'content.reviewed', 'content', 'content.draft.v2', 'contents.drafted'])).toEqual(['content.drafted', 'content.reviewed']);
    expect(typesMatching(['*.completed'], ['order.completed', 'task.completed', 'order.item.completed', 'completed'])).toEqual(['order.completed', 'task.completed']);
    expect(typesMatching(['content.#'], ['content', 'content.a', 'content.a.b', 'other.a'])).toEqual(['content', 'content.a', 'content.a.b']);
    expect(typesMatching(['#.done.*'], ['done.x', 'a.b.done.x', 'a.done', 'a.done.x.y'])).toEqual(['done.x', 'a.b.done.x']);
    expect(matchesEventType('order.placed', 'order.placed')).toBe(true);
    expect(matchesEventType('order.placed', 'order.placed.v2')).toBe(false);
  });

  it('refuses malformed patterns naming the field and the rule', () => {
    expect(eventPatternProblems('content*', 'requires[0]')).toEqual([{ field: 'requires[0]', rule: '"content*" segment 1 "content*": a wildcard (* = one word, # = any number of words) must be a whole segment' }]);
    expect(eventPatternProblems('content..*', 'requires[0]')[0]?.rule).toBe('"content..*" has an empty segment (two dots, or a dot at an end)');
    expect(eventPatternProblems('Content.*', 'requires[0]')[0]?.rule).toBe('"Content.*" segment 1 "Content": must be a lowercase word ([a-z][a-z0-9_-]*), * or #');
    expect(eventPatternProblems('*.#', 'requires[0]')[0]?.rule).toMatch(/must name at least one word/);
    expect(eventPatternProblems('*.completed', 'requires[0]')).toEqual([]);
  });

  it('refuses a bad pattern, a pattern in a join and a pattern matching its own output when the agent is defined', () => {
    expect(() => make('bad', ['content.*s'], ['x.y'])).toThrow(/requires\[0\]: "content.\*s" segment 2 "\*s": a wildcard .* must be a whole segment/);
    expect(() => make('joiner', ['content.*', 'order.placed'], ['x.y'])).toThrow(/requires\[0\]: "content.\*" is a pattern, and a pattern cannot be part of a join/);
    expect(() => make('echo', ['content.*'], ['content.echoed'])).toThrow(/publishes\[0\]: "content.echoed" matches the agent's own pattern requires\[0\] "content.\*"/);
    expect(() => make('publisher', ['a.b'], ['content.*'])).toThrow(/publishes\[0\]: must be lowercase words separated by dots/);
  });

  it('connects a pattern agent to every type of the workflow it matches; a pattern is never the entry', () => {
    const wf = new Workflow('patterns').addAgents(make('split', ['p.in'], ['content.drafted', 'content.reviewed']), make('audit', ['content.*'], ['audit.noted']), make('tally', ['*.noted'], []));
    expect(wf.entryEventType).toBe('p.in');
    expect(wf.terminalAgents).toEqual(['tally']);
    expect(() => new Workflow('unfed').addAgents(make('start', ['u.in'], ['u.out']), make('listener', ['nothing.*'], []))).toThrow(/agents "listener" are not connected to the entry "u.in": nothing starting from it publishes "nothing.\*"/);
    expect(() => new Workflow('only-pattern').addAgents(make('lonely', ['lonely.*'], []))).toThrow(/no entry point/);
  });
});
