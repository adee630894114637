import { ValidationError } from '@weaver/errors';
import { bindStep, publishedOutput, type Agent, type AgentEvent, type StepContext } from './agent';
import type { AgentDefinition } from './agent-definition';
import { parseWith } from './schema-check';

/** What one step of an agent came to: declined by `canProcess`, or its output. */
export type StepRun =
  | { declined: true }
  | {
      declined: false;
      /** The step's output: what `process` returned, or the payload of the `this.publish(...)` it returned. */
      value: unknown;
      /** True when `process` returned `this.publish(...)`: the output is among the published events already. */
      explicit: boolean;
    };

/** The step's context minus its event: built only once the agent has accepted the event. */
export type StepServices = Omit<StepContext, 'event' | 'publish'> & {
  /** Receives each `this.publish(type, payload)` whose type the agent declares. */
  publish(type: string, payload: unknown): void;
};

/**
 * One step of an agent, exactly as the runtime runs it — the agent-runner's step executor and
 * `testAgent` both call this, so a unit test sees the same validation and decisions:
 * validates the payload against the `input` schema (a failure names the field and rule),
 * asks `canProcess`, binds the step's context (`services` is called only for an accepted
 * event), runs `process` through `invoke` (the runtime's concurrency slot and timeout), refuses
 * a publish of an undeclared type, and validates the output against the `output` schema.
 */
export async function runAgentStep(
  def: AgentDefinition,
  event: AgentEvent,
  services: (event: AgentEvent) => StepServices,
  invoke: (work: () => Promise<unknown>) => Promise<unknown> = (work) => work(),
): Promise<StepRun> {
  const input = def.input ? parseWith(def.input, event.payload, `input of agent "${def.name}"`, 'input') : event.payload;
  const accepted: AgentEvent = { ...event, payload: input };
  const agent = new def.agentClass() as unknown as Agent;
  if (!agent.canProcess(accepted)) return { declined: true };
  const s = services(accepted);
  bindStep(agent, {
    ...s,
    event: accepted,
    publish: (type, payload) => {
      // Only declared types have topics (the broker refuses to create one on the fly).
      if (!def.publishes.includes(type)) {
        throw new ValidationError([{ field: 'publish.type', rule: `"${type}" is not among the agent's publishes (${def.publishes.join(', ') || 'none'}); declare it (publishes = ['${type}'] or @agent({ publishes }))` }], `agent "${def.name}"`);
      }
      s.publish(type, payload);
    },
  });
  const returned = await invoke(() => agent.process(input));
  const explicit = publishedOutput(returned);
  const value = explicit ? explicit.payload : returned;
  if (def.output) parseWith(def.output, value, `output of agent "${def.name}"`, 'output');
  return { declined: false, value, explicit: explicit !== undefined };
}
