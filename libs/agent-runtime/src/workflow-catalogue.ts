import { ValidationError } from '@weaver/errors';
import type { AgentDefinition, Workflow } from '@weaver/sdk';
import { isEventPattern } from '@weaver/sdk/internal';

/** The workflows this process hosts, by name, and which agents belong to each. */
export class WorkflowCatalogue {
  private readonly byName = new Map<string, Workflow>();

  constructor(workflows: Workflow[]) {
    const classes = new Map<string, { cls: unknown; workflow: string }>();
    for (const wf of workflows) {
      if (this.byName.has(wf.name)) throw new Error(`workflow "${wf.name}" is defined twice`);
      this.byName.set(wf.name, wf);
      // Agents are hosted by name (one consumer group each): one name must mean one class.
      for (const a of wf.agents) {
        const seen = classes.get(a.name);
        if (seen && seen.cls !== a.agentClass) throw new Error(`agent name "${a.name}" is used by two different classes (workflows "${seen.workflow}" and "${wf.name}"); give one of them another name`);
        classes.set(a.name, { cls: a.agentClass, workflow: wf.name });
      }
    }
  }

  get(name: string): Workflow {
    const wf = this.byName.get(name);
    if (!wf) {
      throw new ValidationError([{ field: 'workflow', rule: `unknown workflow "${name}"; this runner hosts: ${[...this.byName.keys()].join(', ') || 'none'}` }], 'run request');
    }
    return wf;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get workflows(): Workflow[] {
    return [...this.byName.values()];
  }

  /** Every distinct agent across workflows (an agent shared by two workflows runs once). */
  get agents(): AgentDefinition[] {
    const seen = new Map<string, AgentDefinition>();
    for (const wf of this.byName.values()) for (const a of wf.agents) if (!seen.has(a.name)) seen.set(a.name, a);
    return [...seen.values()];
  }

  /** Every exact event type any hosted agent consumes or publishes: the topics to provision (patterns have none of their own). */
  get eventTypes(): string[] {
    return [...new Set(this.agents.flatMap((a) => [...a.requires.filter((r) => !isEventPattern(r)), ...a.publishes]))];
  }
}
