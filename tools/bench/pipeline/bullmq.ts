/**
 * The peer: the same three-step pipeline on BullMQ (three queues on a real redis-server,
 * worker k enqueues step k+1, at-least-once), with the same instant "model" call per step.
 * Steps are timed at each worker's `completed` event, runs from the first enqueue.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { RunClock } from './stats';
import { instantLlm } from './weaver';

const STEPS = ['researcher', 'writer', 'reviewer'] as const;

export class BullPipeline {
  readonly clock = new RunClock(STEPS.length);
  private readonly prefix = `bench-${randomUUID().slice(0, 8)}`;
  private queues: Queue[] = [];
  private workers: Worker[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly concurrency: number,
  ) {}

  async start(): Promise<void> {
    const connection = { url: this.redisUrl, maxRetriesPerRequest: null };
    this.queues = STEPS.map((s) => new Queue(`${this.prefix}-${s}`, { connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000 } }));
    this.workers = STEPS.map((step, k) => {
      const worker = new Worker(
        `${this.prefix}-${step}`,
        async (job: Job<{ runId: string; data: unknown }>) => {
          const answer = await instantLlm.generate({ prompt: JSON.stringify(job.data.data) });
          const output = { step, text: answer.text };
          const next = this.queues[k + 1];
          if (next) await next.add(STEPS[k + 1]!, { runId: job.data.runId, data: output });
          return output;
        },
        { connection, concurrency: this.concurrency },
      );
      worker.on('completed', (job: Job<{ runId: string }>) => this.clock.markStep(job.data.runId, Date.now()));
      return worker;
    });
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async send(count: number, sentAt: (i: number) => number = () => Date.now()): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    for (const [i, runId] of ids.entries()) this.clock.markSent(runId, sentAt(i));
    await this.queues[0]!.addBulk(ids.map((runId, i) => ({ name: STEPS[0], data: { runId, data: { topic: `bench ${i}` } } })));
    return ids;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
