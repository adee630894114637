import type { DataSource } from 'typeorm';
import { EventProducer } from '@weaver/messaging';
import { createDataSource } from '@weaver/persistence';
import { DeadLetterAdmin, RunAdmin } from '../src';
import { DeadLetterDispositions, RunControl, RunStore, RUNS_SCHEMA } from '@weaver/runs';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the runtime's test fixture (broker, database, host), shared rather than copied
import type { RuntimeFixture } from '../../agent-runtime/test/runtime-fixture';

/**
 * The gateway's side of run admin over a RuntimeFixture's broker and database: RunAdmin and
 * DeadLetterAdmin connected as the gateway's role (its grants and RLS policies are what is tested).
 */
export class AdminFixture {
  ds!: DataSource;
  runs!: RunAdmin;
  letters!: DeadLetterAdmin;
  private producer!: EventProducer;

  constructor(private readonly fx: RuntimeFixture) {}

  async open(): Promise<this> {
    this.ds = await createDataSource({ url: this.fx.db.urlOf('gateway'), schema: RUNS_SCHEMA, poolSize: 4 }).initialize();
    this.producer = new EventProducer(this.fx.kafka);
    this.letters = new DeadLetterAdmin(this.fx.kafka, this.fx.names, new DeadLetterDispositions(this.ds), this.fx.logger);
    this.runs = new RunAdmin({
      store: new RunStore(this.ds),
      control: new RunControl(this.ds),
      letters: this.letters,
      namesFor: async () => this.fx.names,
      send: (record) => this.producer.send([record]),
    });
    return this;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.ds?.destroy();
  }
}

/** Resolves once `check()` holds (polled: the condition is in another process's hands, e.g. a consumer's commit). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
