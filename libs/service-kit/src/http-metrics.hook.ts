import type { Metrics } from '@weaver/observability';
import type { FastifyInstance } from 'fastify';

/**
 * Per-route HTTP request duration, recorded in Fastify's onResponse hook so it also counts
 * requests that failed in an exception filter or matched no route. `route` is the route
 * pattern (`/runs/:id`), never the raw URL, so label cardinality stays bounded.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  const duration = metrics.histogram(
    'http_request_duration_seconds',
    'HTTP request duration by route pattern and status',
    ['method', 'route', 'status'] as const,
  );
  fastify.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
