import { createHash } from 'node:crypto';
import { NotFoundError, ValidationError, WeaverError } from '@weaver/errors';
import { allows, parseClassification, type Classification, type Level } from '@weaver/governance';
import { BreakerOpenError } from '@weaver/resilience';
import { ToolDeniedError, ToolFailedError, type AgentTools, type LlmClient, type ToolDescription, type ToolLoopRequest, type ToolLoopResult, type ToolResult } from '@weaver/sdk';
import { isGranted, runToolLoop, splitToolName, textOf } from '@weaver/sdk/internal';
import type { DecisionRequest, RequestOrigin } from '@weaver/policy';
import type { RecordedCall, ToolCallLog, ToolOutcome } from './tool-call-store';
import { ToolClassificationError, ToolTimeoutError } from './tool-errors';

/** Who a step's tool calls are for: the records and the grants are per (tenant, agent), the replay per (run, step). */
export interface ToolScope {
  tenantId: string;
  runId: string;
  workflow: string;
  agent: string;
  step: string;
  /** The run's data subject: recorded results are sealed under its key. */
  subjectId?: string;
  /** Grants of the agent's definition (`@agent({ tools })`). */
  grants: readonly string[];
  /** The step's `this.llm`, for `this.tools.run`. */
  llm: LlmClient;
  /**
   * The step's classification (canonical wire form, read per call: it rises when the step reads
   * higher-classified memory): a tool cleared below it is neither listed nor called, and
   * `tool.call` policies decide on it.
   */
  classification?: readonly string[];
}

export type ToolsFactory = (scope: ToolScope) => AgentTools;

/** The policy decision of `tool.call` (@weaver/policy's Authorizer): throws PermissionDeniedError to refuse. */
export interface ToolCallPolicy {
  authorize(req: DecisionRequest, origin: RequestOrigin): Promise<unknown>;
}

/** What StepTools needs of the toolkit (McpToolkit implements it). */
export interface ToolRuntime {
  /** Absent: grants alone decide (tests, runners without tenancy). */
  readonly policy?: ToolCallPolicy;
  catalogue(): readonly ToolDescription[];
  /** The highest level a tool may receive (its server's `maxClassification`). */
  ceilingOf(qualified: string): Level;
  adminGrants(tenantId: string, agent: string): Promise<readonly string[]>;
  invoke(qualified: string, args: Record<string, unknown>): Promise<ToolResult>;
  readonly calls: ToolCallLog;
  observe(tool: string, outcome: ToolOutcome, durationMs: number, replayed: boolean): void;
}

/**
 * `this.tools` for one step. Deny by default: only tools granted by the definition or an admin
 * are listed or callable. Every call gets the next number of the step (1, 2, …) and is recorded
 * with its outcome and duration; a redelivered step's call with the same number, tool and
 * arguments as an answered record ('ok' or the tool's own 'error') gets that recorded answer
 * and the tool does not run again — the step's tool side effects happen once.
 */
export class StepTools implements AgentTools {
  private seq = 0;
  private prior?: Promise<Map<number, RecordedCall>>;
  private granted?: Promise<Set<string>>;

  constructor(
    private readonly runtime: ToolRuntime,
    private readonly scope: ToolScope,
  ) {}

  /** Read per call: the step's labels rise when it reads higher-classified memory. */
  private get level(): Classification {
    return parseClassification(this.scope.classification ?? [], 'classification', `step "${this.scope.step}"`);
  }

  async list(): Promise<string[]> {
    return (await this.describe()).map((t) => t.name);
  }

  async describe(): Promise<ToolDescription[]> {
    const grants = await this.grants();
    const level = this.level;
    return this.runtime.catalogue().filter((t) => isGranted(grants, t.name) && allows(this.runtime.ceilingOf(t.name), level));
  }

  run(request: ToolLoopRequest): Promise<ToolLoopResult> {
    return runToolLoop(this.scope.llm, this, request);
  }

  async call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    this.seq += 1;
    const seq = this.seq;
    const started = performance.now();
    const argsHash = hashOf(name, args);
    const base = { tenantId: this.scope.tenantId, runId: this.scope.runId, step: this.scope.step, agent: this.scope.agent, seq, tool: name, argsHash, subjectId: this.scope.subjectId };
    if (!splitToolName(name)) throw new ValidationError([{ field: 'tools.call.name', rule: `must be "<server>/<tool>", got ${JSON.stringify(name)}` }], `agent "${this.scope.agent}"`);
    if (!isGranted(await this.grants(), name)) {
      await this.runtime.calls.record({ ...base, outcome: 'denied', durationMs: 0, error: 'not granted' });
      this.runtime.observe(name, 'denied', 0, false);
      throw new ToolDeniedError(name, this.scope.agent);
    }
    const ceiling = this.runtime.ceilingOf(name);
    const level = this.level;
    if (!allows(ceiling, level)) {
      await this.runtime.calls.record({ ...base, outcome: 'denied', durationMs: 0, error: `classification ${level.level} above ceiling ${ceiling}` });
      this.runtime.observe(name, 'denied', 0, false);
      throw new ToolClassificationError(name, ceiling, level.level);
    }
    await this.decide(name, base);
    const recorded = (await this.recorded()).get(seq);
    if (recorded && recorded.tool === name && recorded.argsHash === argsHash && recorded.result && (recorded.outcome === 'ok' || recorded.outcome === 'error')) {
      this.runtime.observe(name, recorded.outcome, 0, true);
      return this.answer(name, recorded.result);
    }
    let result: ToolResult;
    try {
      result = await this.runtime.invoke(name, args);
    } catch (err) {
      const durationMs = performance.now() - started;
      const outcome = outcomeOf(err);
      await this.runtime.calls.record({ ...base, outcome, durationMs, error: err instanceof Error ? err.message.slice(0, 1000) : String(err) });
      this.runtime.observe(name, outcome, durationMs, false);
      throw err;
    }
    const durationMs = performance.now() - started;
    const outcome = result.isError ? 'error' : 'ok';
    await this.runtime.calls.record({ ...base, outcome, durationMs, result });
    this.runtime.observe(name, outcome, durationMs, false);
    return this.answer(name, result);
  }

  /**
   * `tool.call` by the tenant's policies (in process, normally a decision-cache hit), after the
   * grants and before the tool runs or a recorded answer is replayed: a policy added since the
   * first delivery also holds for the redelivery.
   */
  private async decide(name: string, base: Omit<Parameters<ToolCallLog['record']>[0], 'outcome' | 'durationMs'>): Promise<void> {
    const policy = this.runtime.policy;
    if (!policy) return;
    const { tenantId, workflow, agent, runId, step, classification } = this.scope;
    try {
      await policy.authorize(
        {
          principal: { type: 'Agent', id: `${workflow}/${agent}`, tenantId },
          action: 'tool.call',
          resource: { type: 'Tool', id: name, server: splitToolName(name)?.server, tenantId, classification: classification ? [...classification] : undefined, workflow },
        },
        { source: 'agent-runner', correlationId: `${runId}/${step}` },
      );
    } catch (err) {
      const policies = err instanceof WeaverError ? (err.details['policies'] as string[] | undefined) : undefined;
      await this.runtime.calls.record({ ...base, outcome: 'denied', durationMs: 0, error: `policy: ${policies?.join(', ') ?? 'error'}` });
      this.runtime.observe(name, 'denied', 0, false);
      throw err;
    }
  }

  private answer(name: string, result: ToolResult): ToolResult {
    if (result.isError) throw new ToolFailedError(name, this.scope.agent, textOf(result));
    return result;
  }

  /** The definition's grants plus the tenant's admin grants, read once per step (cached by the source). */
  private grants(): Promise<Set<string>> {
    this.granted ??= this.runtime.adminGrants(this.scope.tenantId, this.scope.agent).then((admin) => new Set([...this.scope.grants, ...admin]));
    return this.granted;
  }

  /** Read at the step's first granted call only: a step without tool calls costs no round trip. */
  private recorded(): Promise<Map<number, RecordedCall>> {
    this.prior ??= this.runtime.calls.recorded(this.scope.tenantId, this.scope.runId, this.scope.step);
    return this.prior;
  }
}

function outcomeOf(err: unknown): ToolOutcome {
  if (err instanceof ToolTimeoutError) return 'timeout';
  if (err instanceof BreakerOpenError) return 'breaker_open';
  if (err instanceof ValidationError || err instanceof NotFoundError) return 'invalid';
  if (err instanceof WeaverError && err.code === 'UNAVAILABLE') return 'unavailable';
  return 'unavailable';
}

/** The call's identity for replay: tool + arguments with keys sorted (key order is not meaning). */
function hashOf(name: string, args: Record<string, unknown>): string {
  return createHash('sha256').update(name).update('\0').update(stableJson(args)).digest('base64url').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
