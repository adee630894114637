import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { followRun, IntakeLimits, RunAdmin, RunEventsHub, RunService, type StartRun } from '@weaver/run-api';
import { RunListQuery } from '@weaver/api-schema';
import { ApiKeyResolver, apiKeyFromHeaders } from '@weaver/tenancy-core';
import { routeInput, timeOf } from './route-input';
import { GatewayPolicyGuard } from './policy.guard';
import { capabilityFromHeaders, ResultGrants } from './result-grants';
import { runAccessOf } from './run-access';
import { RunStreams } from './run-streams';

/** The run API of docs/api.md: start, list, read, result, and Server-Sent Events of progress. Decided by GatewayPolicyGuard (GATEWAY_ACCESS). */
@Controller('v1/runs')
@UseGuards(GatewayPolicyGuard)
export class RunsHttpController {
  constructor(
    private readonly runs: RunService,
    private readonly hub: RunEventsHub,
    private readonly streams: RunStreams,
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
    @Inject(ResultGrants) private readonly grants: ResultGrants,
    @Inject(IntakeLimits) private readonly limits: IntakeLimits,
    @Inject(RunAdmin) private readonly admin: RunAdmin,
  ) {}

  @Post()
  @HttpCode(202)
  async start(@Req() req: FastifyRequest, @Body() body: StartRun | undefined) {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    return this.runs.start(tenant, body ?? ({} as StartRun), await this.limits.admit(tenant));
  }

  /** Filters and keyset pages (api-schema RunListQuery); `{ runs, nextCursor? }`. */
  @Get()
  async list(@Req() req: FastifyRequest, @Query() query: unknown) {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    const q = routeInput(RunListQuery, query, 'run list');
    return this.admin.list({ ...q, tenantId: tenant, from: timeOf(q.from), to: timeOf(q.to) });
  }

  @Get(':runId')
  async get(@Req() req: FastifyRequest, @Param('runId') runId: string) {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    return { run: await this.runs.get(tenant, runId, runAccessOf(req)) };
  }

  /** An API key of the run's tenant, or `authorization: Capability <token>` for the run's result. */
  @Get(':runId/result')
  async result(@Req() req: FastifyRequest, @Param('runId') runId: string) {
    const capability = capabilityFromHeaders(req.headers);
    if (capability !== undefined) return { result: await this.grants.read(capability, runId, runAccessOf(req)) };
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    return { result: await this.runs.result(tenant, runId, undefined, runAccessOf(req)) };
  }

  @Get(':runId/events')
  async events(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('runId') runId: string): Promise<void> {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    await this.runs.get(tenant, runId, runAccessOf(req)); // 404 or 403 before the stream starts, as JSON
    await this.streams.watch(tenant);
    const abort = this.streams.open();
    req.raw.on('close', () => abort.abort());
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    try {
      for await (const event of followRun(this.runs, this.hub, tenant, runId, abort.signal)) {
        reply.raw.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
      }
    } finally {
      clearInterval(keepAlive);
      this.streams.close(abort);
      reply.raw.end();
    }
  }
}
