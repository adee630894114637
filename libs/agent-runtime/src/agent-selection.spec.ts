import { Agent, agent, Workflow } from '@weaver/sdk';
import { parseAgentSelection, selectAgents } from './agent-selection';
import { WorkflowCatalogue } from './workflow-catalogue';

@agent({ name: 'one', requires: ['x.opened'], publishes: ['x.one'] })
class One extends Agent<unknown> {
  async process(p: unknown) {
    return p;
  }
}
@agent({ name: 'two', requires: ['x.one'], publishes: ['x.two'] })
class Two extends Agent<unknown> {
  async process(p: unknown) {
    return p;
  }
}
const catalogue = new WorkflowCatalogue([new Workflow('x').addAgents(One, Two)]);
const names = (entries: string[]) => selectAgents(catalogue, parseAgentSelection(entries)).map((a) => a.name);

describe('WEAVER_AGENTS', () => {
  it('hosts every agent when empty, the named ones, or all but the excluded ones', () => {
    expect(names([])).toEqual(['one', 'two']);
    expect(names(['two'])).toEqual(['two']);
    expect(names(['!one'])).toEqual(['two']);
  });

  it('refuses mixed lists, bad names and unknown agents with the field and rule', () => {
    expect(() => parseAgentSelection(['one', '!two'])).toThrow('WEAVER_AGENTS: list agents to host (a,b) or agents to leave out (!a,!b), not both');
    expect(() => parseAgentSelection(['o ne'])).toThrow(/WEAVER_AGENTS: "o ne" must be an agent name/);
    expect(() => names(['three'])).toThrow('WEAVER_AGENTS: unknown agent "three"; the loaded workflows define: one, two');
  });
});
