import type { AgentClass } from './agent';
import { definitionOf, type AgentDefinition } from './agent-definition';
import { streamRun } from './progress-stream';
import type { RunProgress, WorkflowRunner } from './run-progress';
import { parseTrigger, type Trigger } from './trigger';
import { WeaverClient } from './weaver-client';
import { analyseWorkflow, type WorkflowShape } from './workflow-graph';

let connected: WorkflowRunner | undefined;

export interface RunOptions {
  /** Where to run; default the runner given to `Workflow.connect`, else a WeaverClient from WEAVER_URL/WEAVER_API_KEY. */
  runner?: WorkflowRunner;
  onProgress?: (p: RunProgress) => void;
}

/**
 * A workflow: agents wired by the event types they require and publish. The wiring is checked
 * when agents are added (one entry event type, every required type published by some agent, no
 * cycle without an exit), so a broken workflow fails where it is declared.
 *
 *   const pipeline = new Workflow('content').addAgents(Researcher, Writer, Reviewer).setTrigger('http');
 *   const review = await pipeline.run({ topic: 'AI Safety' });
 *   for await (const p of pipeline.stream({ topic: 'AI Safety' })) console.log(p.kind, p.step);
 */
export class Workflow {
  private readonly agentClasses: AgentClass[] = [];
  private readonly triggers: Trigger[] = [];
  private shape?: WorkflowShape;

  constructor(readonly name: string) {
    // snake_case too, as the plan names them ("content_pipeline"); the gateway applies the same rule.
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new Error(`new Workflow("${name}"): name must be lowercase words joined by - or _ ([a-z][a-z0-9_-]*), like "content-pipeline" or "content_pipeline"`);
  }

  /** Sets the process-wide connection `run()` and `stream()` use, e.g. `new WeaverClient({ url, apiKey })`. */
  static connect(runner: WorkflowRunner): void {
    connected = runner;
  }

  addAgents(...agents: AgentClass[]): this {
    const all = [...this.agentClasses, ...agents];
    this.shape = analyseWorkflow(this.name, all.map(definitionOf));
    this.agentClasses.push(...agents);
    return this;
  }

  /** Adds a trigger: `"schedule:quarterly"`, `"schedule:0 9 * * 1"`, `"http"`, `"grpc"`, `"kafka:<topic>"`. */
  setTrigger(trigger: string | Trigger): this {
    this.triggers.push(parseTrigger(trigger));
    return this;
  }

  get agents(): AgentDefinition[] {
    return this.agentClasses.map(definitionOf);
  }

  get triggerList(): Trigger[] {
    return [...this.triggers];
  }

  get entryEventType(): string {
    return this.validated.entryEventType;
  }

  get terminalAgents(): string[] {
    return this.validated.terminalAgents;
  }

  /** Starts a run and resolves with the final agent's result; rejects with RunFailedError naming the failed step. */
  async run(input: unknown, options: RunOptions = {}): Promise<unknown> {
    void this.validated; // refuse an empty workflow before reaching the platform
    return this.runner(options.runner).run(this.name, input, options.onProgress);
  }

  /** Starts a run and yields its progress until it ends (throws RunFailedError if it fails). */
  stream(input: unknown, options: Pick<RunOptions, 'runner'> = {}): AsyncGenerator<RunProgress, unknown> {
    void this.validated;
    return streamRun(this.runner(options.runner), this.name, input);
  }

  private runner(explicit: WorkflowRunner | undefined): WorkflowRunner {
    const runner = explicit ?? connected ?? (connected = WeaverClient.fromEnv());
    if (!runner) throw new Error(`workflow "${this.name}": not connected; call Workflow.connect(new WeaverClient({ url, apiKey })) or set WEAVER_URL and WEAVER_API_KEY`);
    return runner;
  }

  private get validated(): WorkflowShape {
    if (!this.shape) throw new Error(`workflow "${this.name}" has no agents: call addAgents(...)`);
    return this.shape;
  }
}
