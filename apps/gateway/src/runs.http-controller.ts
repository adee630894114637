import { Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getRun, getRunResult, listRuns, runEvents, startRun, type RouteResponse } from '@weaver/api-schema';
import { followRun, IntakeLimits, RunAdmin, RunEventsHub, RunService } from '@weaver/run-api';
import { ApiKeyResolver, apiKeyFromHeaders } from '@weaver/tenancy-core';
import { parseRequest, timeOf } from './parse-request';
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
  async start(@Req() req: FastifyRequest): Promise<RouteResponse<typeof startRun>> {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    const { body } = parseRequest(startRun, req);
    return this.runs.start(tenant, body, await this.limits.admit(tenant));
  }

  /** Filters and keyset pages (api-schema RunListQuery); `{ runs, nextCursor? }`. */
  @Get()
  async list(@Req() req: FastifyRequest): Promise<RouteResponse<typeof listRuns>> {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    const { query } = parseRequest(listRuns, req);
    return this.admin.list({ ...query, tenantId: tenant, from: timeOf(query.from), to: timeOf(query.to) });
  }

  @Get(':runId')
  async get(@Req() req: FastifyRequest): Promise<RouteResponse<typeof getRun>> {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    const { runId } = parseRequest(getRun, req).params;
    return { run: await this.runs.get(tenant, runId, runAccessOf(req)) };
  }

  /** An API key of the run's tenant, or `authorization: Capability <token>` for the run's result. */
  @Get(':runId/result')
  async result(@Req() req: FastifyRequest): Promise<RouteResponse<typeof getRunResult>> {
    const { runId } = parseRequest(getRunResult, req).params;
    const capability = capabilityFromHeaders(req.headers);
    if (capability !== undefined) return { result: await this.grants.read(capability, runId, runAccessOf(req)) };
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    return { result: await this.runs.result(tenant, runId, undefined, runAccessOf(req)) };
  }

  @Get(':runId/events')
  async events(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const tenant = await this.keys.tenantOf(apiKeyFromHeaders(req.headers), req.ip);
    const { runId } = parseRequest(runEvents, req).params;
    await this.runs.get(tenant, runId, runAccessOf(req)); // 404 or 403 before the stream starts, as JSON
    await this.streams.watch(tenant);
    const abort = this.streams.open();
    req.raw.on('close', () => abort.abort());
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    try {
      for await (const event of followRun(this.runs, this.hub, tenant, runId, abort.signal) satisfies AsyncIterable<RouteResponse<typeof runEvents>>) {
        reply.raw.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
      }
    } finally {
      clearInterval(keepAlive);
      this.streams.close(abort);
      reply.raw.end();
    }
  }
}
