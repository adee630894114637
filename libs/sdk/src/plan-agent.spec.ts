import { Agent, agent, AnalystMemory, Capability, Memory, Workflow, type AgentMemory, type LlmRequest } from './index';
import { definitionOf, MEMORY_DEFAULTS, publishedOutput } from './internal';
import { testAgent } from './testing';

const GB = 1024 ** 3;

const answer = (r: LlmRequest) => `answer to ${r.prompt}`;

describe('plan-style agents (bare @agent with class fields)', () => {
  @agent
  class Researcher extends Agent {
    memory = Memory({ semantic: 'large' });
    capabilities = [Capability('research')];

    async process({ topic }: { topic: string }) {
      const research = await this.llm.research(topic);
      return this.publish('research_complete', research);
    }
  }

  @agent
  class ReportWriter extends Agent {
    requires = ['research_complete'];
    publishes = ['report.written', 'report.flagged'];

    async process(research: string) {
      if (research.includes('!')) this.publish(research.length > 3 ? 'report.flagged' : 'report.written', research);
      return { words: research.split(' ').length };
    }
  }

  it('derives the name from the class, reads the fields, and makes an agent without requires its workflow entry', () => {
    expect(definitionOf(Researcher)).toMatchObject({
      name: 'researcher',
      requires: ['researcher.requested'],
      publishes: ['research_complete'],
      capabilities: [{ kind: 'capability', name: 'research' }],
      memory: { ...MEMORY_DEFAULTS, semantic: { maxBytes: 10 * GB } },
    });
    expect(definitionOf(ReportWriter)).toMatchObject({ name: 'report-writer', requires: ['research_complete'], publishes: ['report.written', 'report.flagged'], memory: MEMORY_DEFAULTS });
  });

  it('wires a workflow from them: the entry agent gets the run input', () => {
    const wf = new Workflow('content_pipeline').addAgents(Researcher, ReportWriter);
    expect(wf.entryEventType).toBe('researcher.requested');
    expect(wf.terminalAgents).toEqual(['report-writer']);
  });

  it('names multi-word classes in kebab-case', () => {
    @agent
    class HTTPDataAnalyst2 extends Agent {
      async process() {
        return null;
      }
    }
    expect(definitionOf(HTTPDataAnalyst2).name).toBe('http-data-analyst2');
  });

  it('reads publishes from every this.publish literal of the class and its superclasses, in order, once each', () => {
    abstract class Base extends Agent {
      protected done(x: unknown) {
        return this.publish(`base.done`, x);
      }
    }
    @agent
    class Child extends Base {
      async process(x: number) {
        if (x > 1) this.publish("child.big", x);
        this.publish('child.big', x);
        return this.done(x);
      }
    }
    expect(definitionOf(Child).publishes).toEqual(['child.big', 'base.done']);
  });

  it('refuses a computed publish type unless publishes is declared, saying why', () => {
    const kind = 'x.y';
    const computed = () =>
      agent(
        class Computed extends Agent {
          async process() {
            return this.publish(kind, 1);
          }
        },
      );
    expect(computed).toThrow(/publishes: Computed calls this.publish with a computed event type; declare the types it may publish \(publishes = \['...'\]\)/);
    @agent
    class Declared extends Agent {
      publishes = ['x.y'];
      async process() {
        return this.publish(kind, 1);
      }
    }
    expect(definitionOf(Declared).publishes).toEqual(['x.y']);
  });

  it('combines @agent options with fields, but refuses a setting given in both places', () => {
    @agent({ name: 'custom-name', limits: { timeoutMs: 5_000 } })
    class Mixed extends Agent {
      requires = ['a.b'];
      memory = AnalystMemory();
      async process() {
        return null;
      }
    }
    expect(definitionOf(Mixed)).toMatchObject({ name: 'custom-name', requires: ['a.b'], limits: { timeoutMs: 5_000 }, memory: { longTerm: { maxBytes: 10 * GB } } });
    const both = () =>
      agent({ requires: ['a.b'], memory: Memory() })(
        class Both extends Agent {
          requires = ['a.c'];
          memory = Memory();
          async process() {
            return null;
          }
        },
      );
    expect(both).toThrow(/requires: declared both in @agent\(\{\.\.\.\}\) and as a class field; keep one\n {2}- memory: declared both/);
  });

  it('validates memory from options or fields once, naming memory.<field> and the rule', () => {
    expect(() => agent({ memory: { semantic_sise: '1GB' } as never })(class A extends Agent {
      async process() {
        return null;
      }
    })).toThrow(/@agent on A is invalid:\n {2}- memory\.semantic_sise: unknown field \(did you mean "semantic_size"\?\)/);
    expect(() => agent({ memory: { kind: 'run' } as never })(class Old extends Agent {
      async process() {
        return null;
      }
    })).toThrow(/- memory\.kind: memory kinds are no longer chosen/);
    expect(() => agent({ memory: AnalystMemory as never })(class Uncalled extends Agent {
      async process() {
        return null;
      }
    })).toThrow('memory.(options): got the function AnalystMemory; call it: AnalystMemory() or AnalystMemory({ ...overrides })');
    expect(definitionOf(agent({ memory: { episodic: '7d' } })(class Plain extends Agent {
      async process() {
        return null;
      }
    })).memory.episodic.ttlMs).toBe(7 * 86_400_000);
  });

  it('refuses fields of the wrong shape, naming them', () => {
    const bad = () =>
      agent(
        class Shapes extends Agent {
          requires = 'a.b' as unknown as string[];
          capabilities = ['analyze'] as never;
          async process() {
            return null;
          }
        },
      );
    expect(bad).toThrow(/requires: must be a list of event types, got "a.b"[\s\S]*capabilities\[0\]: must be Capability\("<snake_case name>"\), got "analyze"/);
  });

  it('binds the step memory over the memory field, and calls a verb as a generate with the task named', async () => {
    expect(new Researcher().memory.constructor.name).toBe('MemoryDeclaration');
    const run = await testAgent(Researcher, { topic: 'AI Safety' }, { llm: answer });
    expect(run.llmCalls).toEqual([{ method: 'generate', request: { system: 'Task: research. Answer with the result only.', prompt: 'AI Safety' } }]);
    expect(run.published).toEqual([{ type: 'research_complete', payload: 'answer to AI Safety' }]);
    // The returned publish is the step's output (the runtime does not publish it again).
    expect(run).toMatchObject({ declined: false, output: 'answer to AI Safety' });
    expect(publishedOutput({ type: 'research_complete', payload: 1 })).toBeUndefined();
    @agent
    class Recaller extends Agent {
      memory = Memory({ episodic: '1d' });
      async process() {
        return this.memory.get('seen');
      }
    }
    const stepMemory = { get: async () => 'from step' } as unknown as AgentMemory;
    expect((await testAgent(Recaller, null, { memory: stepMemory })).output).toBe('from step');
  });

  it('sends a non-string verb input as JSON, joins a given system prompt, and leaves the typed methods alone', async () => {
    @agent
    class Verbs extends Agent {
      publishes = [];
      async process(data: unknown) {
        const a = await this.llm.write_article(data, { system: 'Be brief.', maxTokens: 50 });
        const b = await this.llm.generate({ prompt: 'plain' });
        const llm = this.llm as unknown as Record<string, unknown>;
        const probed = ['then', 'toJSON', 'asymmetricMatch', '$$typeof', '_private'].map((p) => typeof llm[p]);
        return { a, b: b.text, same: llm === this.llm, probed, verb: typeof llm['triage'] };
      }
    }
    const run = await testAgent(Verbs, { rows: [1] }, { llm: answer });
    expect(run.llmCalls.map((c) => c.request)).toEqual([{ system: 'Task: write article. Answer with the result only.\n\nBe brief.', maxTokens: 50, prompt: '{"rows":[1]}' }, { prompt: 'plain' }]);
    expect(run.output).toEqual({ a: 'answer to {"rows":[1]}', b: 'answer to plain', same: true, probed: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'], verb: 'function' });
  });

  it('keeps the old error outside a step', () => {
    class Outside extends Agent {
      async process() {
        return null;
      }
    }
    expect(() => new Outside().memory).toThrow('Outside: llm/memory/tools/publish are only available inside process()');
  });
});

describe('workflow names', () => {
  it('accepts snake_case as the plan writes them, and names the rule otherwise', () => {
    expect(new Workflow('content_pipeline').name).toBe('content_pipeline');
    expect(() => new Workflow('Content Pipeline')).toThrow('new Workflow("Content Pipeline"): name must be lowercase words joined by - or _ ([a-z][a-z0-9_-]*), like "content-pipeline" or "content_pipeline"');
  });
});
