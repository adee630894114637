import { Agent, agent, Workflow } from './index';
import { definitionOf, isWorkflow, runAgentStep } from './internal';
import { testAgent } from './testing';

// A `weaver init` project runs on its installed copy of the SDK while the agent-runner hosts it
// with its own: the two copies' classes differ, so everything the runner checks goes by
// registered symbols. A second copy is loaded here through a fresh module registry.
type Sdk = typeof import('./index');
function otherCopy(): Sdk {
  let sdk: Sdk | undefined;
  jest.isolateModules(() => {
    sdk = jest.requireActual<Sdk>('./index');
  });
  return sdk!;
}

describe('two copies of the SDK in one process', () => {
  const other = otherCopy();

  @other.agent({ name: 'echo', requires: ['echo.requested'], publishes: ['echo.done'] })
  class Echo extends other.Agent<{ text: string }> {
    async process({ text }: { text: string }) {
      return `${(await this.llm.generate({ prompt: text })).text}!`;
    }
  }

  it('really are two copies', () => {
    expect(other.Workflow).not.toBe(Workflow);
    expect(new other.Workflow('w')).not.toBeInstanceOf(Workflow);
  });

  it("recognises the other copy's workflows and agent definitions", () => {
    const wf = new other.Workflow('echo-flow').addAgents(Echo);
    expect(isWorkflow(wf)).toBe(true);
    expect(isWorkflow({ name: 'echo-flow' })).toBe(false);
    expect(definitionOf(Echo)).toMatchObject({ name: 'echo', requires: ['echo.requested'] });
  });

  it("binds a step to the other copy's agent (this.llm works) through this copy's runAgentStep", async () => {
    const run = await testAgent(Echo, { text: 'hi' }, { llm: (r) => `said ${r.prompt}` });
    expect(run.output).toBe('said hi!');
    const ran = await runAgentStep(definitionOf(Echo), { id: 'e', type: 'echo.requested', tenantId: 't', runId: 'r', workflow: 'echo-flow', producer: 'p', classification: [], payload: { text: 'yo' } }, () => ({
      llm: { generate: async () => ({ text: 'ok', toolCalls: [], model: 'm', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false }) } as never,
      memory: {} as never,
      tools: {} as never,
      publish: () => undefined,
    }));
    expect(ran).toEqual({ declined: false, value: 'ok!', explicit: false });
  });

  it('keeps this copy working beside it', async () => {
    @agent({ name: 'local', requires: ['local.requested'], publishes: [] })
    class Local extends Agent<{ n: number }> {
      async process({ n }: { n: number }) {
        return n + 1;
      }
    }
    expect((await testAgent(Local, { n: 1 })).output).toBe(2);
  });
});
