import { Agent, agent, Capability, Memory, Workflow } from '@weaver/sdk';

/**
 * The plan's style: a bare `@agent`, settings as class fields, plan verbs on `this.llm`
 * (`this.llm.research(...)`, `this.llm.summarize(...)` are model calls whose system prompt is
 * the verb's task) and episodic memory to compare with the previous run.
 */
@agent
export class CompetitorWatcher extends Agent {
  capabilities = [Capability('market_research')];
  memory = Memory({ episodic: '90d' });

  async process(input: { competitor: string }) {
    const findings = await this.llm.research(`${input.competitor} product news`);
    const [previous] = await this.memory.episodic.recall({ limit: 1 });
    await this.memory.episodic.record(findings, { competitor: input.competitor });
    const changed = previous === undefined || previous.text !== findings;
    const brief = await this.llm.summarize(changed ? `${findings}\nBefore: ${previous?.text ?? 'nothing'}` : findings);
    return this.publish('watch_report', { competitor: input.competitor, changed, firstLook: previous === undefined, brief });
  }
}

export const competitorWatch = new Workflow('competitor-watch').addAgents(CompetitorWatcher).setTrigger('schedule:weekly');

export default [competitorWatch];
