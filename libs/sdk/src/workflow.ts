import type { AgentClass, TypesOf } from './agent';
import { definitionOf, type AgentDefinition } from './agent-definition';
import { streamRun } from './progress-stream';
import type { RunProgress, WorkflowRunner } from './run-progress';
import { parseTrigger, type Trigger } from './trigger';
import { WeaverClient } from './weaver-client';
import { analyseWorkflow, type WorkflowShape } from './workflow-graph';

let connected: WorkflowRunner | undefined;
const WORKFLOW: unique symbol = Symbol.for('weaver.workflow');

/** The run input of a list of agents: the first (entry) agent's `RunInputOf`. */
export type EntryInputOf<A> = A extends readonly [infer F, ...unknown[]] ? TypesOf<F>['runInput'] : unknown;
/** The run result of a list of agents: the last (exit) agent's `ResultOf`. */
export type ExitResultOf<A> = A extends readonly [...unknown[], infer L] ? TypesOf<L>['result'] : unknown;

/** Options of `Workflow.run`. */
export interface RunOptions {
  /** Where to run; default the runner given to `Workflow.connect`, else a WeaverClient from WEAVER_URL/WEAVER_API_KEY. */
  runner?: WorkflowRunner;
  /** Called with each progress event of the run (steps started and completed, deltas, the end). */
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
export class Workflow<In = unknown, Out = unknown> {
  /** Marks a workflow across copies of the SDK (the runner's and a project's installed one); see `isWorkflow`. */
  readonly [WORKFLOW] = true;
  private readonly agentClasses: AgentClass[] = [];
  private readonly triggers: Trigger[] = [];
  private shape?: WorkflowShape;

  /**
   * A new, empty workflow.
   * @param name the workflow's name, as runs are started by (`[a-z][a-z0-9_-]*`).
   */
  constructor(readonly name: string) {
    // snake_case too, as the plan names them ("content_pipeline"); the gateway applies the same rule.
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new Error(`new Workflow("${name}"): name must be lowercase words joined by - or _ ([a-z][a-z0-9_-]*), like "content-pipeline" or "content_pipeline"`);
  }

  /** Sets the process-wide connection `run()` and `stream()` use, e.g. `new WeaverClient({ url, apiKey })`. */
  static connect(runner: WorkflowRunner): void {
    connected = runner;
  }

  /**
   * Adds agents and checks the wiring. List the entry agent (the one the run's input goes to)
   * first and an exit agent (one whose result ends the run) last: `run` is typed from their
   * schemas (`Agent<typeof Input, typeof Output>`), and a list in another order is refused.
   */
  addAgents<A extends AgentClass[]>(...agents: A): Workflow<unknown extends In ? EntryInputOf<A> : In, A extends [] ? Out : ExitResultOf<A>>;
  addAgents(...agents: AgentClass[]): Workflow<unknown, unknown> {
    const all = [...this.agentClasses, ...agents];
    const defs = all.map(definitionOf);
    const shape = analyseWorkflow(this.name, defs);
    const first = defs[0];
    const last = defs[defs.length - 1];
    const problems = [
      ...(first && !first.requires.includes(shape.entryEventType) ? [`list the entry agent first: "${first.name}" does not consume the run's input ("${shape.entryEventType}")`] : []),
      ...(last && !shape.terminalAgents.includes(last.name) ? [`list an exit agent last: the run does not end with "${last.name}" (exit agents: ${shape.terminalAgents.map((t) => `"${t}"`).join(', ')})`] : []),
    ];
    // run() is typed from the first and last agents' schemas, so the order must say the truth.
    if (problems.length) throw new Error(`workflow "${this.name}": ${problems.join('; ')}`);
    this.shape = shape;
    this.agentClasses.push(...agents);
    return this as Workflow<unknown, unknown>;
  }

  /** Adds a trigger: `"schedule:quarterly"`, `"schedule:0 9 * * 1"`, `"http"`, `"grpc"`, `"kafka:<topic>"`. */
  setTrigger(trigger: string | Trigger): this {
    this.triggers.push(parseTrigger(trigger));
    return this;
  }

  /** The agents' definitions, in the order they were added. */
  get agents(): AgentDefinition[] {
    return this.agentClasses.map(definitionOf);
  }

  /** The triggers set with `setTrigger`. */
  get triggerList(): Trigger[] {
    return [...this.triggers];
  }

  /** The event type the run's input is published as (the entry agent consumes it). */
  get entryEventType(): string {
    return this.validated.entryEventType;
  }

  /** The agents whose result ends the run. */
  get terminalAgents(): string[] {
    return this.validated.terminalAgents;
  }

  /** Starts a run and resolves with the final agent's result; rejects with RunFailedError naming the failed step. */
  async run(input: In, options: RunOptions = {}): Promise<Out> {
    void this.validated; // refuse an empty workflow before reaching the platform
    // The platform validated the result against the exit agent's output schema.
    return (await this.runner(options.runner).run(this.name, input, options.onProgress)) as Out;
  }

  /** Starts a run and yields its progress until it ends (throws RunFailedError if it fails). */
  stream(input: In, options: Pick<RunOptions, 'runner'> = {}): AsyncGenerator<RunProgress, Out> {
    void this.validated;
    return streamRun(this.runner(options.runner), this.name, input) as AsyncGenerator<RunProgress, Out>;
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

/** True for a `Workflow` of any copy of the SDK (the runner loads projects built on the installed package). */
export function isWorkflow(value: unknown): value is Workflow {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WORKFLOW] === true;
}
