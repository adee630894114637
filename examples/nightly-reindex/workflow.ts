import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Job = z.object({ collection: z.string().min(1), documents: z.number().int().positive().max(100_000), msPerBatch: z.number().int().nonnegative().default(200) });
const Report = z.object({ collection: z.string(), batches: z.number(), indexed: z.number(), summary: z.string() });

const BATCH = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A long-running step: minutes of work in one `process`. Its `timeoutMs` is raised for it
 * (the default is 60 s) and its concurrency held to one per process, so a big job cannot
 * crowd out other agents. The consumer stays in its group while the step runs, and the step's
 * outputs still commit in one transaction at the end; a crash mid-way re-runs the step.
 */
@agent({ name: 'reindexer', requires: ['nightly-reindex.requested'], publishes: ['reindex.done'], input: Job, output: Report, limits: { timeoutMs: 30 * 60_000, maxConcurrency: 1 } })
export class Reindexer extends Agent<z.infer<typeof Job>> {
  // The runtime hands `process` the parsed input, defaults applied (msPerBatch).
  async process({ collection, documents, msPerBatch }: z.infer<typeof Job>) {
    let indexed = 0;
    let batches = 0;
    while (indexed < documents) {
      await sleep(msPerBatch); // stands for embedding and writing one batch
      indexed = Math.min(documents, indexed + BATCH);
      batches += 1;
    }
    // A streamed model call: clients following the run over SSE see its text as it is written.
    const stream = this.llm.stream({ system: 'Summarise the reindex.', prompt: `${collection}: ${indexed} documents in ${batches} batches` });
    let summary = '';
    for await (const chunk of stream) summary += chunk.delta;
    return { collection, batches, indexed, summary };
  }
}

/** The same work under a tight limit, to show what the limit does: the step times out, is retried, then dead-lettered. */
@agent({ name: 'hasty-reindexer', requires: ['hasty-reindex.requested'], publishes: ['hasty-reindex.done'], input: Job, limits: { timeoutMs: 300 } })
export class HastyReindexer extends Reindexer {}

export const nightlyReindex = new Workflow('nightly-reindex').addAgents(Reindexer).setTrigger('schedule:0 2 * * *');
export const hastyReindex = new Workflow('hasty-reindex').addAgents(HastyReindexer);

export default [nightlyReindex, hastyReindex];
