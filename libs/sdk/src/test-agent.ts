import type { AgentClass, AgentEvent, TypesOf } from './agent';
import { definitionOf } from './agent-definition';
import type { EmbedRequest, LlmClient, LlmRequest, LlmResponse } from './llm';
import { llmClientFrom } from './llm-defaults';
import type { AgentMemory } from './memory-types';
import { runAgentStep } from './step-run';
import { fakeTools, inProcessMemory, type FakeTool } from './test-doubles';

/** A model for a test: a whole client, or a function answering each request (text, or a partial response). */
export type TestLlm = LlmClient | ((request: LlmRequest) => string | Partial<LlmResponse> | Promise<string | Partial<LlmResponse>>);

/** A model call of a test: which `LlmClient` method, and what the agent asked. */
export interface ModelCall {
  /** The `LlmClient` method called. */
  method: 'generate' | 'stream' | 'structured';
  /** The request as the agent sent it. */
  request: LlmRequest;
}

/** An embedding call of a test. */
export interface EmbedCall {
  /** Always `embed`. */
  method: 'embed';
  /** The embedding request as the agent sent it. */
  request: EmbedRequest;
}

/** One model call the agent made in a test, in order. */
export type LlmCall = ModelCall | EmbedCall;

/** What `testAgent` gives the agent besides its input. */
export interface TestAgentOptions {
  /** The model (`this.llm`); default: one that fails the step when called. */
  llm?: TestLlm;
  /** The memory (`this.memory`); default `inProcessMemory()`. */
  memory?: AgentMemory;
  /** Fake MCP tools by `<server>/<tool>`; the agent sees only those its `tools` option grants, as on the platform. */
  tools?: Record<string, FakeTool>;
  /** The event's envelope fields (default: a test tenant, run and workflow; the agent's first required type). */
  event?: Partial<Omit<AgentEvent, 'payload'>>;
}

/** An event the step published. */
export interface PublishedEvent {
  /** Its event type. */
  type: string;
  /** Its payload. */
  payload: unknown;
}

/** What a test step sent, accepted or not. */
export interface TestRecord {
  /** Every `this.publish(type, payload)` of the step, in order. */
  published: PublishedEvent[];
  /** Every model call of the step, in order. */
  llmCalls: LlmCall[];
}

/** `canProcess` accepted the event: the step's output. */
export interface TestAccepted<R> extends TestRecord {
  /** False: the step ran. */
  declined: false;
  /** The step's output, validated against the agent's `output` schema. */
  output: R;
}

/** `canProcess` declined the event: nothing ran. */
export interface TestDeclined extends TestRecord {
  /** True: the step was declined. */
  declined: true;
  /** No output. */
  output: undefined;
}

/** The outcome of `testAgent`: the step's output (or that `canProcess` declined), and what it sent. */
export type TestRun<R> = TestAccepted<R> | TestDeclined;

const RESPONSE: LlmResponse = { text: '', toolCalls: [], model: 'test-model', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false };

/**
 * Runs one step of an agent as the platform would — the same code path as the agent-runner's:
 * the input is validated against the agent's `input` schema (a ValidationError names the field
 * and rule), `canProcess` may decline, a publish of an undeclared type is refused, and the
 * output is validated against the `output` schema.
 */
export async function testAgent<C extends AgentClass>(agentClass: C, input: TypesOf<C>['runInput'], options: TestAgentOptions = {}): Promise<TestRun<TypesOf<C>['output']>> {
  const def = definitionOf(agentClass);
  const llmCalls: LlmCall[] = [];
  const llm = recording(clientOf(options.llm), llmCalls);
  const published: PublishedEvent[] = [];
  const event: AgentEvent = {
    id: 'test-event', type: def.requires[0] ?? '', tenantId: 'test-tenant', runId: 'test-run', workflow: 'test-workflow', producer: 'test', classification: [],
    ...options.event,
    payload: input,
  };
  const ran = await runAgentStep(def, event, () => ({
    llm,
    memory: options.memory ?? inProcessMemory(),
    tools: fakeTools(def.name, def.tools, options.tools ?? {}, llm),
    publish: (type, payload) => void published.push({ type, payload }),
  }));
  const outcome = ran.declined ? { declined: true as const, output: undefined } : { declined: false as const, output: ran.value as TypesOf<C>['output'] };
  return { ...outcome, published, llmCalls };
}

function clientOf(llm: TestLlm | undefined): LlmClient {
  if (llm && typeof llm === 'object') return llm;
  const answer = llm ?? ((): never => {
    throw new Error('testAgent: the agent called the model; pass one: testAgent(Agent, input, { llm: (request) => "answer" })');
  });
  return llmClientFrom({
    generate: async (request) => {
      const a = await answer(request);
      return typeof a === 'string' ? { ...RESPONSE, text: a } : { ...RESPONSE, ...a };
    },
  });
}

function recording(llm: LlmClient, calls: LlmCall[]): LlmClient {
  return {
    generate: (request) => (calls.push({ method: 'generate', request }), llm.generate(request)),
    stream: (request) => (calls.push({ method: 'stream', request }), llm.stream(request)),
    embed: (request) => (calls.push({ method: 'embed', request }), llm.embed(request)),
    structured: (schema, request) => (calls.push({ method: 'structured', request }), llm.structured(schema, request)),
  };
}
