import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { Uuid } from '../schemas/common';

export const USAGE_DIMENSIONS = ['workflow', 'agent', 'model'] as const;

const Totals = { requests: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int(), costUsd: z.number() };
const UsageGroup = z.object({ workflow: z.string().optional(), agent: z.string().optional(), model: z.string().optional(), ...Totals });

export const getUsage = defineRoute({
  operationId: 'getUsage',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/usage',
  summary: 'A tenant\'s model usage and cost over a time range (the router\'s ledger)',
  description: '`from` (inclusive) and `to` (exclusive): RFC 3339, a date or epoch ms; `groupBy`: a comma-separated subset of workflow, agent, model (default all). The rules beyond the shape are the gateway\'s (usage-query.ts): 400 names `from`, `to` or `groupBy`.',
  tags: ['usage'],
  auth: 'admin',
  roles: ['admin'],
  params: z.object({ tenantId: Uuid }),
  query: z.object({
    from: z.string().optional().describe('RFC 3339 time, date, or epoch ms (inclusive)'),
    to: z.string().optional().describe('exclusive'),
    groupBy: z.string().optional().describe('comma-separated subset of workflow, agent, model'),
  }),
  status: 200,
  response: json(
    z.object({
      tenantId: Uuid,
      from: z.string().nullable(),
      to: z.string().nullable(),
      groupBy: z.array(z.enum(USAGE_DIMENSIONS)),
      groups: z.array(UsageGroup),
      totals: z.object(Totals),
      budget: z.object({ limitUsd: z.number(), spentUsd: z.number(), reservedUsd: z.number(), remainingUsd: z.number() }).nullable().describe('the budget now (not over the range): what the router enforces on the next call'),
    }),
  ),
});

export const USAGE_ROUTES: readonly ApiRoute[] = [getUsage];
