import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';

export const replayDeadLetters = defineRoute({
  operationId: 'replayGroupDeadLetters',
  method: 'POST',
  path: '/v1/dlq/{group}/replay',
  summary: 'Re-drive a consumer group\'s dead letters',
  tags: ['dead letters'],
  auth: 'admin',
  roles: ['admin'],
  params: z.object({ group: z.string().min(1).describe('the consumer group, e.g. "weaver.agent.researcher" (with the installation\'s namespace)') }),
  status: 200,
  response: json(z.object({ replayed: z.number().int(), skipped: z.number().int() })),
});

export const DLQ_ROUTES: readonly ApiRoute[] = [replayDeadLetters];
