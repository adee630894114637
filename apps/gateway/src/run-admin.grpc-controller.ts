import { Controller, Inject, UseGuards } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { DeadLetterListQuery, DeadLetterReplayBody, RunListQuery } from '@weaver/api-schema';
import { runAdmin } from '@weaver/contracts';
import { PermissionDeniedError } from '@weaver/errors';
import { DeadLetterAdmin, RunAdmin, type DeadLetterView } from '@weaver/run-api';
import { toRun } from './gateway.grpc-controller';
import { GatewayPolicyGuard, principalOfCall } from './policy.guard';
import { parsePart, timeOf } from './parse-request';
import { runAccessOf } from './run-access';

/** proto3 leaves unset strings "" and numbers 0: the schemas' "not given". */
const given = <T extends Record<string, unknown>>(req: T): Partial<T> => Object.fromEntries(Object.entries(req).filter(([, v]) => v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0))) as Partial<T>;

function toLetter(l: DeadLetterView & { payload?: unknown }): runAdmin.DeadLetter {
  return {
    id: l.id, group: l.group, topic: l.topic, partition: l.partition, offset: l.offset, tenantId: l.tenantId ?? '', runId: l.runId ?? '',
    errorCode: l.error.code, errorMessage: l.error.message, violationsJson: l.error.violations ? JSON.stringify(l.error.violations) : '',
    deadLetteredAtMs: Date.parse(l.deadLetteredAt), state: l.state, payloadJson: 'payload' in l ? JSON.stringify(l.payload ?? null) : '',
  };
}

/**
 * weaver.gateway.v1.RunAdminService: RunsAdminHttpController's and DeadLettersHttpController's
 * operations over gRPC (API key in metadata; the tenant is the key's), decided by GatewayPolicyGuard.
 */
@Controller()
@UseGuards(GatewayPolicyGuard)
@runAdmin.RunAdminServiceControllerMethods()
export class RunAdminGrpcController implements runAdmin.RunAdminServiceController {
  constructor(
    @Inject(RunAdmin) private readonly runs: RunAdmin,
    @Inject(DeadLetterAdmin) private readonly letters: DeadLetterAdmin,
  ) {}

  async listRuns(req: runAdmin.ListRunsRequest, metadata?: Metadata): Promise<runAdmin.ListRunsResponse> {
    const q = parsePart(RunListQuery, given({ ...req }), 'run list');
    const page = await this.runs.list({ ...q, tenantId: this.caller(metadata).tenantId, from: timeOf(q.from), to: timeOf(q.to) });
    return { runs: page.runs.map(toRun), nextCursor: page.nextCursor ?? '' };
  }

  async cancelRun(req: runAdmin.CancelRunRequest, metadata?: Metadata): Promise<runAdmin.CancelRunResponse> {
    const { tenantId, actor } = this.caller(metadata);
    return { run: toRun(await this.runs.cancel(tenantId, req.runId, actor, runAccessOf(metadata))) };
  }

  async retryRun(req: runAdmin.RetryRunRequest, metadata?: Metadata): Promise<runAdmin.RetryRunResponse> {
    const { tenantId, actor } = this.caller(metadata);
    return { run: toRun(await this.runs.retry(tenantId, req.runId, actor, runAccessOf(metadata))) };
  }

  async listDeadLetters(req: runAdmin.ListDeadLettersRequest, metadata?: Metadata): Promise<runAdmin.ListDeadLettersResponse> {
    const q = parsePart(DeadLetterListQuery, given({ ...req }), 'dead-letter list');
    const page = await this.letters.list({ ...q, tenantId: this.caller(metadata).tenantId });
    return { deadLetters: page.deadLetters.map(toLetter), nextCursor: page.nextCursor ?? '' };
  }

  async getDeadLetter(req: runAdmin.GetDeadLetterRequest, metadata?: Metadata): Promise<runAdmin.GetDeadLetterResponse> {
    return { deadLetter: toLetter(await this.letters.get(req.id, this.caller(metadata).tenantId)) };
  }

  async replayDeadLetter(req: runAdmin.ReplayDeadLetterRequest, metadata?: Metadata): Promise<runAdmin.ReplayDeadLetterResponse> {
    const { tenantId, actor } = this.caller(metadata);
    const before = await this.letters.get(req.id, tenantId);
    const after = before.state === 'dead' ? await this.letters.replayOne(req.id, actor, tenantId) : before;
    return { deadLetter: toLetter({ ...after, payload: undefined }), replayed: before.state === 'dead' && after.state === 'replayed' ? 1 : 0 };
  }

  async replayDeadLetters(req: runAdmin.ReplayDeadLettersRequest, metadata?: Metadata): Promise<runAdmin.ReplayDeadLettersResponse> {
    const b = parsePart(DeadLetterReplayBody, given({ ...req }), 'dead-letter replay');
    const { tenantId, actor } = this.caller(metadata);
    const sel = { group: b.group, ids: b.ids, fromOffset: b.fromOffset === undefined ? undefined : BigInt(b.fromOffset), toOffset: b.toOffset === undefined ? undefined : BigInt(b.toOffset), from: timeOf(b.from), to: timeOf(b.to) };
    return this.letters.replayMany(sel, actor, tenantId);
  }

  async discardDeadLetter(req: runAdmin.DiscardDeadLetterRequest, metadata?: Metadata): Promise<runAdmin.DiscardDeadLetterResponse> {
    const { tenantId, actor } = this.caller(metadata);
    return { deadLetter: toLetter(await this.letters.discard(req.id, actor, tenantId)) };
  }

  /** gRPC takes API keys only: every call acts within the key's tenant. */
  private caller(metadata: Metadata | undefined): { tenantId: string; actor: string } {
    const principal = metadata && principalOfCall(metadata);
    if (!principal?.tenantId) throw new PermissionDeniedError('RunAdminService takes an API key of a tenant');
    return { tenantId: principal.tenantId, actor: `${principal.type}:${principal.id}` };
  }
}
