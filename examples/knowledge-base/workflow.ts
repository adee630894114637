import { Agent, agent, Memory, Workflow, z, type Input } from '@weaver/sdk';

const Request = z.object({
  /** Facts to keep (embedded through the router into the librarian's semantic memory). */
  remember: z.array(z.string().min(1)).default([]),
  /** A question answered from what was remembered, in this run or earlier ones. */
  ask: z.string().min(1).optional(),
});

/**
 * Semantic and episodic memory across runs: one run stores facts, a later one asks about them.
 * Semantic memory is the librarian's (per tenant, across runs); every embedding is a router
 * call billed to the step, once even if the step is redelivered.
 */
@agent({ name: 'librarian', requires: ['knowledge.requested'], publishes: ['knowledge.answered'], input: Request, memory: Memory({ semantic: 'small', episodic: '7d' }) })
export class Librarian extends Agent<typeof Request> {
  async process({ remember, ask }: Input<this>) {
    if (remember.length) await this.memory.semantic.remember(remember);
    const hits = ask ? await this.memory.semantic.search(ask, { k: 1 }) : [];
    await this.memory.episodic.record(ask ? `asked: ${ask}` : `stored ${remember.length} facts`);
    const earlier = await this.memory.episodic.recall({ limit: 10 });
    return { stored: remember.length, answer: hits[0]?.text ?? null, visits: earlier.length };
  }
}

export const knowledgeBase = new Workflow('knowledge-base').addAgents(Librarian);

export default [knowledgeBase];
