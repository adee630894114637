import { Agent, agent, Workflow, z, type AgentEvent } from '@weaver/sdk';

const Document = z.object({ title: z.string().min(1), body: z.string().min(1) });
const Summary = z.object({ title: z.string(), summary: z.string(), handledBy: z.string() });

/** Labels that keep a document away from the cloud summariser (the run's classification). */
const SENSITIVE = ['confidential', 'restricted', 'pii', 'phi', 'pci'];
const isSensitive = (event: AgentEvent): boolean => event.classification.some((label) => SENSITIVE.includes(label.split(':')[0]!));

/** Takes only public/internal documents: declines the rest (they are committed as skipped). */
@agent({ name: 'cloud-summariser', requires: ['document.submitted'], publishes: ['document.summarised'], input: Document, output: Summary })
export class CloudSummariser extends Agent<z.infer<typeof Document>> {
  override canProcess(event: AgentEvent): boolean {
    return !isSensitive(event);
  }
  async process({ title, body }: z.infer<typeof Document>) {
    const { text } = await this.llm.generate({ system: 'Summarise in one line.', prompt: body });
    return { title, summary: text, handledBy: 'cloud-summariser' };
  }
}

/** Takes only sensitive documents: in production hosted on the tenant's own runner, next to a self-hosted model. */
@agent({ name: 'onprem-summariser', requires: ['document.submitted'], publishes: ['document.summarised'], input: Document, output: Summary })
export class OnPremSummariser extends Agent<z.infer<typeof Document>> {
  override canProcess(event: AgentEvent): boolean {
    return isSensitive(event);
  }
  async process({ title, body }: z.infer<typeof Document>) {
    const { text } = await this.llm.generate({ system: 'Summarise in one line, on premises.', prompt: body });
    return { title, summary: text, handledBy: 'onprem-summariser' };
  }
}

/** The entry agent only files the document; both summarisers consume what it files, and exactly one takes each. */
@agent({ name: 'document-intake', requires: ['clearance-routing.requested'], publishes: ['document.submitted'], input: Document, output: Document })
export class DocumentIntake extends Agent<z.infer<typeof Document>> {
  async process(doc: z.infer<typeof Document>) {
    return doc;
  }
}

export const clearanceRouting = new Workflow('clearance-routing').addAgents(DocumentIntake, CloudSummariser, OnPremSummariser);

export default [clearanceRouting];
