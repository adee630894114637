/**
 * Concurrency: many slow steps in flight at once on one runner. One agent whose model call
 * takes 5 s; all triggers are offered at once; the runner (this process) holds them all in
 * flight, and the phase reports the peak in flight, the peak RSS and that every step completed.
 */
import { Agent, agent, Workflow, z } from '../../../libs/sdk/src';
import type { LlmClient } from '../../../libs/sdk/src';
import { llmClientFrom } from '../../../libs/sdk/src/internal';
import type { Logger } from '../../../libs/observability/src';
import { createDataSource } from '../../../libs/persistence/src';
import { RUNS_MIGRATIONS, RUNS_SCHEMA } from '../../../libs/runs/src';
import { createTestDatabase } from '../../../libs/testing/src';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { fmt, sleep } from './stats';
import { WeaverPipeline } from './weaver';

const MODEL_MS = 5_000;
const Input = z.object({ topic: z.string() });

@agent({ name: 'slow-thinker', requires: ['thought.requested'], publishes: ['thought.done'], input: Input, limits: { maxConcurrency: 100_000, timeoutMs: 120_000 } })
class SlowThinker extends Agent<z.infer<typeof Input>> {
  async process({ topic }: z.infer<typeof Input>) {
    const answer = await this.llm.generate({ prompt: topic });
    return { text: answer.text };
  }
}

const slowLlm: LlmClient = llmClientFrom({
  generate: async (req) => {
    await sleep(MODEL_MS);
    return { text: `thought: ${req.prompt ?? ''}`, toolCalls: [], model: 'slow', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, replayed: false };
  },
});

export async function runInflight(o: { brokers: string; postgresUrl: string; steps: number; partitions: number; logger: Logger; say: (l: string) => void }): Promise<void> {
  const db = await migrateTestDatabase(await createTestDatabase(o.postgresUrl), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
  const ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA, poolSize: 20 }).initialize();
  const workflow = new Workflow('slow-thoughts').addAgents(SlowThinker);
  const p = new WeaverPipeline({ brokers: o.brokers, ds, workflow, partitions: o.partitions, logger: o.logger, llm: slowLlm, stepsPerRun: 1 });
  await p.start();
  await p.clock.waitFor(await p.send(10), 120_000);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakInFlight = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    peakInFlight = Math.max(peakInFlight, p.inFlight);
  }, 100);
  const t0 = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < o.steps; i += 5_000) ids.push(...(await p.send(Math.min(5_000, o.steps - i))));
  await p.clock.waitFor(ids, 600_000).catch((e: unknown) => o.say(`  in-flight: ${String(e)}`));
  clearInterval(sampler);
  const done = ids.filter((id) => p.clock.completedAt(id) !== undefined).length;
  const mb = (b: number): string => fmt(b / 2 ** 20, 0);
  o.say(`\n${o.steps} steps of ${MODEL_MS / 1000} s offered at once to one runner: ${done}/${o.steps} completed in ${fmt((Date.now() - t0) / 1000)} s; peak in flight ${peakInFlight}; RSS ${mb(rssBefore)} MiB before, peak ${mb(peakRss)} MiB (this process also runs the load generator and the progress reader)`);
  await p.stop();
  await ds.destroy();
}
