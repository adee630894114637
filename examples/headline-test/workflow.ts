import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Article = z.object({ text: z.string().min(1) });
const Headline = z.object({ headline: z.string(), model: z.string() });
const Scored = z.object({ headline: z.string(), writtenBy: z.string(), score: z.number(), scoredBy: z.string() });

/**
 * An A/B model experiment needs no code: `experiments` in models.yaml splits this workflow's
 * runs between two models by weight, sticky per run (both steps of a run use the same arm), and
 * the ledger records experiment and arm on every call, so cost and quality compare per arm.
 */
@agent({ name: 'headline-writer', requires: ['headline-test.requested'], publishes: ['headline.written'], input: Article, output: Headline })
export class HeadlineWriter extends Agent<z.infer<typeof Article>> {
  async process({ text }: z.infer<typeof Article>) {
    const answer = await this.llm.generate({ system: 'Write one headline.', prompt: text, maxTokens: 30 });
    return { headline: answer.text.split('\n')[0] ?? '', model: answer.model };
  }
}

@agent({ name: 'headline-scorer', requires: ['headline.written'], publishes: ['headline.scored'], input: Headline, output: Scored })
export class HeadlineScorer extends Agent<z.infer<typeof Headline>> {
  async process({ headline, model }: z.infer<typeof Headline>) {
    const answer = await this.llm.generate({ system: 'Score the headline from 0 to 10.', prompt: headline, maxTokens: 5 });
    return { headline, writtenBy: model, score: Math.min(10, headline.length % 11), scoredBy: answer.model };
  }
}

export const headlineTest = new Workflow('headline-test').addAgents(HeadlineWriter, HeadlineScorer);

export default [headlineTest];
