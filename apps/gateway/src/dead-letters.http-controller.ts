import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DeadLetterListQuery, DeadLetterReplayBody } from '@weaver/api-schema';
import { ConflictError, PermissionDeniedError } from '@weaver/errors';
import { DeadLetterAdmin, type DeadLetterView } from '@weaver/run-api';
import { GatewayPolicyGuard, principalOfCall } from './policy.guard';
import { parsePart, timeOf } from './parse-request';

/**
 * Dead letters (libs/api-schema routes/runs-admin.ts): list with their errors, inspect, replay
 * (each letter at most once, whichever route), discard. The admin token sees every group's
 * letters; a tenant's admin key only letters of its own tenant.
 */
@Controller('v1/admin')
@UseGuards(GatewayPolicyGuard)
export class DeadLettersHttpController {
  constructor(@Inject(DeadLetterAdmin) private readonly letters: DeadLetterAdmin) {}

  @Get('dead-letters')
  async list(@Req() req: FastifyRequest, @Query() query: unknown) {
    const q = parsePart(DeadLetterListQuery, query, 'dead-letter list');
    const { tenantId } = this.caller(req, q.tenantId);
    return this.letters.list({ ...q, tenantId });
  }

  @Get('dead-letters/:id')
  async get(@Req() req: FastifyRequest, @Param('id') id: string) {
    return { deadLetter: await this.letters.get(id, this.caller(req).tenantId) };
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  async replay(@Req() req: FastifyRequest, @Param('id') id: string) {
    const { tenantId, actor } = this.caller(req);
    const before = await this.letters.get(id, tenantId);
    if (before.state === 'discarded') throw new ConflictError(`dead letter ${id} is discarded: it is never re-driven`, { state: before.state });
    if (before.state === 'replaying') throw new ConflictError(`dead letter ${id} is replaying (claimed by an earlier replay whose send did not finish): it is not sent twice; discard it or look at its run`, { state: before.state });
    const redriven = before.state === 'dead' ? await this.letters.replayOne(id, actor, tenantId) : before;
    return { deadLetter: strip(redriven), replayed: before.state === 'dead' && redriven.state === 'replayed' ? 1 : 0 };
  }

  @Post('dead-letters::replay')
  @HttpCode(200)
  async replayMany(@Req() req: FastifyRequest, @Body() body: unknown) {
    const b = parsePart(DeadLetterReplayBody, body, 'dead-letter replay');
    const { tenantId, actor } = this.caller(req);
    const sel = { group: b.group, ids: b.ids, fromOffset: b.fromOffset === undefined ? undefined : BigInt(b.fromOffset), toOffset: b.toOffset === undefined ? undefined : BigInt(b.toOffset), from: timeOf(b.from), to: timeOf(b.to) };
    return this.letters.replayMany(sel, actor, tenantId);
  }

  @Delete('dead-letters/:id')
  async discard(@Req() req: FastifyRequest, @Param('id') id: string) {
    const { tenantId, actor } = this.caller(req);
    return { deadLetter: await this.letters.discard(id, actor, tenantId) };
  }

  /** A tenant key acts on its own tenant's letters only (the guard decided the action on that tenant). */
  private caller(req: FastifyRequest, asked?: string): { tenantId?: string; actor: string } {
    const principal = principalOfCall(req);
    const own = principal?.tenantId;
    if (own && asked && asked !== own) throw new PermissionDeniedError(`a key of tenant ${own} sees only its own dead letters`);
    return { tenantId: own ?? asked, actor: `${principal?.type ?? 'unknown'}:${principal?.id ?? 'unknown'}` };
  }
}

/** The letter without its payload (a replay's answer lists, it does not inspect). */
function strip(letter: DeadLetterView & { key?: unknown; payload?: unknown }): DeadLetterView {
  const { key: _key, payload: _payload, ...rest } = letter;
  return rest;
}
