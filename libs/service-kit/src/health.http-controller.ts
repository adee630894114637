import { Controller, Get, Header, Res } from '@nestjs/common';
import { Metrics } from '@weaver/observability';
import type { FastifyReply } from 'fastify';
import { Readiness } from './readiness';

/**
 * Probes and metrics every service serves: `/health/live` (the process answers),
 * `/health/ready` (every readiness check passes; 503 naming the failing ones otherwise),
 * `/metrics` (Prometheus text).
 */
@Controller()
export class HealthHttpController {
  constructor(
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
  ) {}

  @Get('health/live')
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: 'ready' | 'not_ready'; failing: string[] }> {
    const report = await this.readiness.evaluate();
    if (!report.ready) void reply.status(503);
    return { status: report.ready ? 'ready' : 'not_ready', failing: report.failing };
  }

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.metrics.text();
    void reply.type(contentType);
    return body;
  }
}
