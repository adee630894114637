import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';

/** One model call of a run, as the router's ledger recorded it. */
export const ModelCallSchema = z.object({
  step: z.string(),
  agent: z.string(),
  model: z.string(),
  provider: z.string(),
  operation: z.enum(['generate', 'stream', 'embed']),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Served from the router's response cache. */
  cached: z.boolean(),
  /** When the ledger recorded it (RFC 3339). */
  at: z.iso.datetime(),
});

export const RunModelCallsParamsSchema = z.object({ runId: z.uuid() });

export const ModelCallsResponseSchema = z.object({ calls: z.array(ModelCallSchema) });

export const listRunModelCalls = defineRoute({
  operationId: 'listRunModelCalls',
  method: 'GET',
  path: '/v1/runs/{runId}/model-calls',
  summary: "A run's model calls with tokens and cost",
  description:
    "From the router's usage ledger, oldest first (at most 500): one entry per billed or cached call, with the step and agent that made it. " +
    "Decided as `run.read` on the run (another tenant's run is 404). The web console's run view shows them (docs/console.md).",
  tags: ['runs'],
  auth: 'apiKey',
  params: RunModelCallsParamsSchema,
  status: 200,
  response: json(ModelCallsResponseSchema),
  errors: [404],
});

/** The console's own routes (its pages are static files at /console/, outside the API). */
export const CONSOLE_ROUTES: readonly ApiRoute[] = [listRunModelCalls];
