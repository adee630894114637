import { z } from 'zod';
import { RunListQuery, RunPageSchema } from './runs-admin';
import { defineRoute, json, sse, type ApiRoute } from '../route';
import { Run, RunEvent, StartRunBody } from '../schemas/run';

const RunParams = z.object({ runId: z.string().describe('the run id (a UUID; anything else is 404)') });

export const startRun = defineRoute({
  operationId: 'startRun',
  method: 'POST',
  path: '/v1/runs',
  summary: 'Start a run of a workflow',
  description: 'Answers 202 once the run\'s trigger is on Kafka; 503 UNAVAILABLE (retriable with the same `runId`) when the broker did not take it. 429 when a quota refuses it.',
  tags: ['runs'],
  auth: 'apiKey',
  body: StartRunBody,
  status: 202,
  response: json(z.object({ run: Run, created: z.boolean().describe('false: a run with this runId already existed') })),
  errors: [503],
});

export const listRuns = defineRoute({
  operationId: 'listRuns',
  method: 'GET',
  path: '/v1/runs',
  summary: 'The tenant\'s runs, newest first, with filters and keyset pages',
  tags: ['runs'],
  auth: 'apiKey',
  query: RunListQuery,
  status: 200,
  response: json(RunPageSchema),
});

export const getRun = defineRoute({
  operationId: 'getRun',
  method: 'GET',
  path: '/v1/runs/{runId}',
  summary: 'A run with its steps (the timeline)',
  tags: ['runs'],
  auth: 'apiKey',
  params: RunParams,
  status: 200,
  response: json(z.object({ run: Run })),
  errors: [404],
});

export const runEvents = defineRoute({
  operationId: 'runEvents',
  method: 'GET',
  path: '/v1/runs/{runId}/events',
  summary: 'Server-Sent Events of a run\'s progress',
  description: 'First a `snapshot` (with the run), then `run.started`, `step.delta`, `step.completed`, `step.failed`, `run.completed`, `run.failed`; `event:` is the kind, `data:` a RunEvent. The stream ends after the run ends.',
  tags: ['runs'],
  auth: 'apiKey',
  params: RunParams,
  status: 200,
  response: sse(RunEvent),
  errors: [404],
});

export const getRunResult = defineRoute({
  operationId: 'getRunResult',
  method: 'GET',
  path: '/v1/runs/{runId}/result',
  summary: 'The result of a completed run',
  description: 'An API key of the run\'s tenant, or `Authorization: Capability <token>` (audience `weaver:gateway.result`, purpose `result:read`). 404 until the run completed.',
  tags: ['runs'],
  auth: 'apiKeyOrCapability',
  params: RunParams,
  status: 200,
  response: json(z.object({ result: z.unknown().describe('the run\'s result (any JSON)') })),
  errors: [404],
});

export const RUN_ROUTES: readonly ApiRoute[] = [startRun, listRuns, getRun, runEvents, getRunResult];
