import type { AgentClass } from './agent';
import { definitionOf, type AgentDefinition } from './agent-definition';
import { parseTrigger, type Trigger } from './trigger';
import { analyseWorkflow, type WorkflowShape } from './workflow-graph';

/** Progress of a run as `workflow.stream()` reports it. */
export interface RunProgress {
  kind: string;
  runId: string;
  status: string;
  step?: { step: string; agent: string; status: string; durationMs: number };
}

/** How `workflow.run` reaches the platform (the gateway); `WeaverClient` implements it. */
export interface WorkflowRunner {
  run(workflow: string, input: unknown, onProgress?: (p: RunProgress) => void): Promise<unknown>;
}

let defaultRunner: WorkflowRunner | undefined;

/**
 * A workflow: agents wired by the event types they require and publish.
 *
 *   const pipeline = new Workflow('content').addAgents(Researcher, Writer, Reviewer);
 *   const review = await pipeline.run({ topic: 'AI Safety' });
 */
export class Workflow {
  private readonly agentClasses: AgentClass[] = [];
  private triggers: Trigger[] = [];
  private shape?: WorkflowShape;

  constructor(readonly name: string) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`new Workflow("${name}"): name must be kebab-case ([a-z][a-z0-9-]*)`);
  }

  /** Sets the process-wide connection `run()` uses (the CLI and the dev stack set it from env). */
  static connect(runner: WorkflowRunner): void {
    defaultRunner = runner;
  }

  addAgents(...agents: AgentClass[]): this {
    this.agentClasses.push(...agents);
    this.shape = analyseWorkflow(this.name, this.agentClasses.map(definitionOf));
    return this;
  }

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

  /** Starts a run and resolves with the final agent's result; rejects naming the failed step. */
  run(input: unknown, options: { runner?: WorkflowRunner; onProgress?: (p: RunProgress) => void } = {}): Promise<unknown> {
    const runner = options.runner ?? defaultRunner;
    if (!runner) throw new Error('workflow.run: not connected; call Workflow.connect(new WeaverClient({ url, apiKey })) first');
    void this.validated; // refuse to start an empty workflow before reaching the platform
    return runner.run(this.name, input, options.onProgress);
  }

  private get validated(): WorkflowShape {
    if (!this.shape) throw new Error(`workflow "${this.name}" has no agents: call addAgents(...)`);
    return this.shape;
  }
}
