import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { RegisteredAgent } from '../schemas/registry';

export const listAgents = defineRoute({
  operationId: 'listAgents',
  method: 'GET',
  path: '/v1/agents',
  summary: 'Registered agents with their instances and health',
  tags: ['agents'],
  auth: 'apiKey',
  query: z.object({
    capability: z.string().optional().describe('only agents with this capability'),
    requiresEvent: z.string().optional().describe('only agents consuming this event type'),
  }),
  status: 200,
  response: json(z.object({ agents: z.array(RegisteredAgent) })),
});

export const AGENT_ROUTES: readonly ApiRoute[] = [listAgents];
