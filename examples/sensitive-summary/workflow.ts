import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Note = z.object({ note: z.string().min(1) });
const Summary = z.object({ summary: z.string(), model: z.string() });

/**
 * Nothing here chooses a model: the router does, from the run's data labels. Each model in
 * models.yaml has a ceiling (`max_classification`; external models default to confidential,
 * self-hosted ones to restricted) and a restricted run's calls can only go to a model whose
 * ceiling admits it — even when a cheaper one exists. No model admitting it: the call is
 * refused, never sent.
 */
@agent({ name: 'note-summariser', requires: ['sensitive-summary.requested'], publishes: ['note.summarised'], input: Note, output: Summary })
export class NoteSummariser extends Agent<z.infer<typeof Note>> {
  async process({ note }: z.infer<typeof Note>) {
    const answer = await this.llm.generate({ system: 'Summarise the note.', prompt: note });
    return { summary: answer.text, model: answer.model };
  }
}

export const sensitiveSummary = new Workflow('sensitive-summary').addAgents(NoteSummariser);

export default [sensitiveSummary];
