import { Agent, agent, Capability, Workflow, z } from '@weaver/sdk';

const Question = z.object({ company: z.string().min(1), question: z.string().min(1) });
const Plan = z.object({ company: z.string(), question: z.string(), angles: z.array(z.string()).length(3) });
const Finding = z.object({ company: z.string(), angle: z.string(), notes: z.string() });
/** The join: one field per event type the editor waits for, each validated as it arrives. */
const Findings = z.object({ 'brief.market': Finding, 'brief.tech': Finding, 'brief.risk': Finding });
const Brief = z.object({ company: z.string(), sections: z.array(z.object({ angle: z.string(), notes: z.string() })), words: z.number() });

/** Fans out: one plan, three scouts consume it in parallel (each in its own consumer group). */
@agent({ name: 'brief-planner', capabilities: [Capability('plan')], requires: ['brief.requested'], publishes: ['brief.planned'], input: Question, output: Plan })
export class BriefPlanner extends Agent<z.infer<typeof Question>> {
  async process({ company, question }: z.infer<typeof Question>) {
    return { company, question, angles: ['market', 'tech', 'risk'] };
  }
}

/** One scout per angle; the class is the same shape, so a factory keeps them to one definition. */
function scout(angle: 'market' | 'tech' | 'risk') {
  @agent({ name: `${angle}-scout`, capabilities: [Capability(`scout_${angle}`)], requires: ['brief.planned'], publishes: [`brief.${angle}`], input: Plan, output: Finding })
  class Scout extends Agent<z.infer<typeof Plan>> {
    async process({ company, question }: z.infer<typeof Plan>) {
      const { text } = await this.llm.generate({ system: `You research the ${angle} angle.`, prompt: `${company}: ${question}` });
      return { company, angle, notes: text };
    }
  }
  return Scout;
}
export const MarketScout = scout('market');
export const TechScout = scout('tech');
export const RiskScout = scout('risk');

/** Fans in: runs once per run, when all three findings have arrived (partial inputs wait in PostgreSQL). */
@agent({ name: 'brief-editor', capabilities: [Capability('edit')], requires: ['brief.market', 'brief.tech', 'brief.risk'], publishes: ['brief.written'], input: Findings, output: Brief })
export class BriefEditor extends Agent<z.infer<typeof Findings>> {
  async process(parts: z.infer<typeof Findings>) {
    const sections = [parts['brief.market'], parts['brief.tech'], parts['brief.risk']].map(({ angle, notes }) => ({ angle, notes }));
    return { company: parts['brief.market'].company, sections, words: sections.reduce((n, s) => n + s.notes.split(/\s+/).length, 0) };
  }
}

export const researchBrief = new Workflow('research-brief').addAgents(BriefPlanner, MarketScout, TechScout, RiskScout, BriefEditor);

export default [researchBrief];
