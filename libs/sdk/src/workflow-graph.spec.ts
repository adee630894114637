import { Agent, agent } from './index';
import { Workflow } from './workflow';

/** Agents are declared per test with the wiring under test; process is never called here. */
function make(name: string, requires: string[], publishes: string[]) {
  @agent({ name, requires, publishes })
  class A extends Agent {
    async process(): Promise<unknown> {
      return null;
    }
  }
  return A;
}

describe('analyseWorkflow (through Workflow.addAgents)', () => {
  it('accepts a chain and reports its entry type and terminal agent', () => {
    const wf = new Workflow('chain').addAgents(make('a', ['x.in'], ['x.mid']), make('b', ['x.mid'], ['x.out']));
    expect(wf.entryEventType).toBe('x.in');
    expect(wf.terminalAgents).toEqual(['b']);
  });

  it('accepts a join whose inputs all come from the entry chain, and a cycle with an exit', () => {
    const join = new Workflow('join').addAgents(make('split', ['j.in'], ['j.left', 'j.right']), make('left', ['j.left'], ['j.l2']), make('both', ['j.l2', 'j.right'], ['j.done']));
    expect(join.terminalAgents).toEqual(['both']);
    const loop = new Workflow('loop').addAgents(make('draft', ['l.in'], ['l.drafted']), make('review', ['l.drafted'], ['l.drafted', 'l.approved']), make('ship', ['l.approved'], []));
    expect(loop.terminalAgents).toEqual(['ship']);
  });

  it('refuses agents that do not connect to the entry, naming them and the missing types', () => {
    // "b" requires y.mid, which only "c" publishes, and "c" requires what "b" publishes.
    const build = () => new Workflow('island').addAgents(make('a', ['y.in'], ['y.out']), make('b', ['y.mid'], ['y.loop']), make('c', ['y.loop'], ['y.mid', 'y.end']));
    expect(build).toThrow(/agents "b", "c" are not connected to the entry "y.in": nothing starting from it publishes "y.mid", "y.loop"/);
  });

  it('refuses two entry types (requires and publishes that do not meet)', () => {
    const build = () => new Workflow('two-entries').addAgents(make('a', ['p.one'], ['p.two']), make('b', ['p.three'], ['p.four']));
    expect(build).toThrow(/ambiguous entry: event types "p.one", "p.three" are required but published by no agent/);
  });

  it('refuses a join whose second input nobody publishes', () => {
    const build = () => new Workflow('half-join').addAgents(make('a', ['h.in'], ['h.left']), make('both', ['h.left', 'h.right'], ['h.done']));
    expect(build).toThrow(/ambiguous entry: event types "h.in", "h.right"/);
  });

  it('refuses a cycle without an exit', () => {
    const build = () => new Workflow('spin').addAgents(make('start', ['s.in'], ['s.ping']), make('ping', ['s.ping'], ['s.pong']), make('pong', ['s.pong'], ['s.ping']));
    expect(build).toThrow(/agents "start", "ping", "pong" form a cycle without an exit/);
  });

  it('refuses a cycle with no way in, and an agent added twice', () => {
    expect(() => new Workflow('closed').addAgents(make('p', ['c.a'], ['c.b']), make('q', ['c.b'], ['c.a']))).toThrow(/no entry point/);
    const a = make('twice', ['t.in'], ['t.out']);
    expect(() => new Workflow('dup').addAgents(a, a)).toThrow(/agent "twice" is added twice/);
  });

  it('leaves the workflow unchanged when adding refused agents', () => {
    const wf = new Workflow('keep').addAgents(make('k1', ['k.in'], ['k.out']));
    expect(() => wf.addAgents(make('k2', ['k.other'], []))).toThrow(/ambiguous entry/);
    expect(wf.agents.map((a) => a.name)).toEqual(['k1']);
  });
});
