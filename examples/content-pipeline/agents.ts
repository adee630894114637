import { Agent, agent, Capability, z, type Input } from '@weaver/sdk';

const Topic = z.object({ topic: z.string().min(1) });
const Research = z.object({ topic: z.string(), facts: z.array(z.string()) });
const Draft = z.object({ topic: z.string(), draft: z.string() });
const Review = z.object({ topic: z.string(), approved: z.boolean(), review: z.string(), words: z.number() });

@agent({ name: 'researcher', capabilities: [Capability('research')], requires: ['content.requested'], publishes: ['content.researched'], input: Topic, output: Research })
export class Researcher extends Agent<typeof Topic, typeof Research> {
  async process({ topic }: Input<this>) {
    const answer = await this.llm.generate({ system: 'List three key facts, one per line.', prompt: `Research: ${topic}` });
    return { topic, facts: answer.text.split('\n').filter(Boolean).slice(0, 3) };
  }
}

@agent({ name: 'writer', capabilities: [Capability('write')], requires: ['content.researched'], publishes: ['content.drafted'], input: Research, output: Draft })
export class Writer extends Agent<typeof Research, typeof Draft> {
  async process({ topic, facts }: Input<this>) {
    const answer = await this.llm.generate({ system: 'Write a short article.', prompt: `Topic: ${topic}\nFacts:\n${facts.join('\n')}` });
    return { topic, draft: answer.text };
  }
}

@agent({ name: 'reviewer', capabilities: [Capability('review')], requires: ['content.drafted'], publishes: ['content.reviewed'], input: Draft, output: Review })
export class Reviewer extends Agent<typeof Draft, typeof Review> {
  async process({ topic, draft }: Input<this>) {
    const answer = await this.llm.generate({ system: 'Review the draft; answer APPROVED or REVISE with a reason.', prompt: draft });
    return { topic, approved: !answer.text.startsWith('REVISE'), review: answer.text, words: draft.split(/\s+/).length };
  }
}
