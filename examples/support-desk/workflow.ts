import { Agent, agent, Memory, Workflow, z } from '@weaver/sdk';

const Message = z.object({ customer: z.string().min(1), text: z.string().min(1) });
const Reply = z.object({ customer: z.string(), visits: z.number(), recalled: z.array(z.string()), reply: z.string() });

/** Sentences a customer says about themselves ("My plan is Pro.") are kept as facts. */
const factsIn = (text: string): string[] => text.split(/(?<=[.!?])\s+/).filter((s) => /^(my|i am|i'm|we are)\b/i.test(s.trim()));

/**
 * Remembers customers across conversations: a visit counter per customer in long-term memory,
 * what they said about themselves in semantic memory (embedded through the router), and each
 * exchange as an episode. Limits are declared once and enforced by the runtime.
 */
@agent({ name: 'support-agent', requires: ['support-desk.requested'], publishes: ['support.replied'], input: Message, output: Reply, memory: Memory({ semantic_size: '100MB', episodic_ttl: '30d', long_term_size: '10MB' }) })
export class SupportAgent extends Agent<z.infer<typeof Message>> {
  async process({ customer, text }: z.infer<typeof Message>) {
    const visits = ((await this.memory.longTerm.get<number>(`visits:${customer}`)) ?? 0) + 1;
    await this.memory.longTerm.set(`visits:${customer}`, visits);
    // What this customer told us before, most relevant first (facts of other customers are filtered out).
    const hits = await this.memory.semantic.search(text, { k: 5 });
    const recalled = hits.filter((h) => h.metadata['customer'] === customer).map((h) => h.text);
    const facts = factsIn(text);
    if (facts.length) await this.memory.semantic.remember(facts.map((f) => ({ text: f, metadata: { customer } })));
    const { text: reply } = await this.llm.generate({ system: `Known about the customer: ${recalled.join(' ') || 'nothing yet'}`, prompt: text });
    await this.memory.episodic.record(`${customer}: ${text}`, { customer });
    return { customer, visits, recalled, reply };
  }
}

export const supportDesk = new Workflow('support-desk').addAgents(SupportAgent);

export default [supportDesk];
