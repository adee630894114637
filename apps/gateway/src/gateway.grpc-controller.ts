import { Controller, Inject, UseGuards } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { gateway } from '@weaver/contracts';
import { followRun, IntakeLimits, RunEventsHub, RunService, type RunEventView, type RunView } from '@weaver/run-api';
import { apiKeyOf } from '@weaver/service-kit';
import { ApiKeyResolver } from '@weaver/tenancy-core';
import { GatewayPolicyGuard } from './policy.guard';
import { runAccessOf } from './run-access';
import { RunStreams } from './run-streams';

const RUN_STATUS: Record<RunView['status'], gateway.RunStatus> = {
  pending: gateway.RunStatus.RUN_STATUS_PENDING,
  running: gateway.RunStatus.RUN_STATUS_RUNNING,
  completed: gateway.RunStatus.RUN_STATUS_COMPLETED,
  failed: gateway.RunStatus.RUN_STATUS_FAILED,
  cancelled: gateway.RunStatus.RUN_STATUS_CANCELLED,
};
// step.delta (streamed LLM text) is an SSE-only event: RunEvent has no field for it, StreamRun skips it.
const EVENT_KIND: Record<Exclude<RunEventView['kind'], 'step.delta'>, gateway.RunEventKind> = {
  snapshot: gateway.RunEventKind.RUN_EVENT_KIND_SNAPSHOT,
  'run.started': gateway.RunEventKind.RUN_EVENT_KIND_RUN_STARTED,
  'step.completed': gateway.RunEventKind.RUN_EVENT_KIND_STEP_COMPLETED,
  'step.failed': gateway.RunEventKind.RUN_EVENT_KIND_STEP_FAILED,
  'run.completed': gateway.RunEventKind.RUN_EVENT_KIND_RUN_COMPLETED,
  'run.failed': gateway.RunEventKind.RUN_EVENT_KIND_RUN_FAILED,
  'run.cancelled': gateway.RunEventKind.RUN_EVENT_KIND_RUN_CANCELLED,
};

export function toRun(r: RunView): gateway.Run {
  return {
    runId: r.runId,
    tenantId: r.tenantId,
    workflow: r.workflow,
    status: RUN_STATUS[r.status],
    inputJson: JSON.stringify(r.input ?? null),
    resultJson: r.result === null || r.result === undefined ? '' : JSON.stringify(r.result),
    error: r.error ?? '',
    subjectId: r.subjectId ?? '',
    createdAtMs: Date.parse(r.createdAt),
    updatedAtMs: Date.parse(r.updatedAt),
    steps: r.steps.map((s) => ({
      step: s.step,
      agent: s.agent,
      status: s.status === 'completed' ? gateway.StepStatus.STEP_STATUS_COMPLETED : gateway.StepStatus.STEP_STATUS_FAILED,
      attempt: s.attempt,
      startedAtMs: Date.parse(s.startedAt),
      finishedAtMs: Date.parse(s.finishedAt),
      durationMs: s.durationMs,
      error: '',
    })),
  };
}

/** weaver.gateway.v1.GatewayService: the same run operations as REST, API key in metadata; decided by GatewayPolicyGuard. */
@Controller()
@UseGuards(GatewayPolicyGuard)
@gateway.GatewayServiceControllerMethods()
export class GatewayGrpcController implements gateway.GatewayServiceController {
  constructor(
    private readonly runs: RunService,
    private readonly hub: RunEventsHub,
    private readonly streams: RunStreams,
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
    @Inject(IntakeLimits) private readonly limits: IntakeLimits,
  ) {}

  async startRun(req: gateway.StartRunRequest, metadata?: Metadata): Promise<gateway.StartRunResponse> {
    const tenant = await this.keys.tenantOf(metadata ? apiKeyOf(metadata) : undefined);
    let input: unknown;
    try {
      input = req.inputJson ? JSON.parse(req.inputJson) : undefined;
    } catch {
      input = Symbol.for('invalid');
    }
    const limits = await this.limits.admit(tenant);
    const started = await this.runs.start(tenant, {
      workflow: req.workflow,
      input: typeof input === 'symbol' ? undefined : input,
      runId: req.runId ?? undefined,
      classification: req.classification,
      subjectId: req.subjectId ?? undefined,
    }, limits);
    return { run: toRun(started.run), created: started.created };
  }

  async getRun(req: gateway.GetRunRequest, metadata?: Metadata): Promise<gateway.GetRunResponse> {
    const tenant = await this.keys.tenantOf(metadata ? apiKeyOf(metadata) : undefined);
    return { run: toRun(await this.runs.get(tenant, req.runId, runAccessOf(metadata))) };
  }

  streamRun(req: gateway.StreamRunRequest, metadata?: Metadata): Observable<gateway.StreamRunResponse> {
    return new Observable((subscriber) => {
      const abort = this.streams.open();
      void (async () => {
        try {
          const tenant = await this.keys.tenantOf(metadata ? apiKeyOf(metadata) : undefined);
          // The policy decision needs the run's classification: read it once before following it.
          await this.runs.get(tenant, req.runId, runAccessOf(metadata));
          await this.streams.watch(tenant);
          for await (const e of followRun(this.runs, this.hub, tenant, req.runId, abort.signal)) {
            if (e.kind === 'step.delta') continue;
            subscriber.next({
              event: {
                kind: EVENT_KIND[e.kind],
                run: e.run ? toRun(e.run) : undefined,
                step: e.step ? { step: e.step, agent: e.agent ?? e.step, status: gateway.StepStatus.STEP_STATUS_COMPLETED, attempt: 0, startedAtMs: 0, finishedAtMs: 0, durationMs: e.durationMs ?? 0, error: e.error ?? '' } : undefined,
                eventType: e.kind,
                timeUnixMs: Date.parse(e.time),
              },
            });
          }
          subscriber.complete();
        } catch (error) {
          subscriber.error(error);
        } finally {
          this.streams.close(abort);
        }
      })();
      return () => abort.abort();
    });
  }
}
