import { z } from 'zod';
import { defineRoute, json, type ApiRoute } from '../route';
import { Uuid } from '../schemas/common';
import { McpServer } from '../schemas/registry';

export const listTools = defineRoute({
  operationId: 'listTools',
  method: 'GET',
  path: '/v1/tools',
  summary: 'The MCP servers the agent-runners discovered (the platform\'s catalogue)',
  description: 'Which agent may call what is decided by grants (docs/tools.md).',
  tags: ['tools'],
  auth: 'apiKey',
  status: 200,
  response: json(z.object({ servers: z.array(McpServer) })),
});

const GRANT_RULE = 'must be an array of "<server>/<tool>" or "<server>/*" strings';
const ToolGrants = z.array(z.string(GRANT_RULE), GRANT_RULE);

export const getToolGrants = defineRoute({
  operationId: 'getToolGrants',
  method: 'GET',
  path: '/v1/admin/tenants/{tenantId}/tool-grants',
  summary: 'A tenant\'s admin tool grants, by agent',
  description: 'Besides what each agent\'s `@agent({ tools })` grants.',
  tags: ['tools'],
  auth: 'admin',
  roles: ['admin'],
  params: z.object({ tenantId: Uuid }),
  status: 200,
  response: json(z.object({ grants: z.record(z.string(), ToolGrants).describe('agent name → grants') })),
});

export const setToolGrants = defineRoute({
  operationId: 'setToolGrants',
  method: 'PUT',
  path: '/v1/admin/tenants/{tenantId}/tool-grants/{agent}',
  summary: 'Replace an agent\'s admin tool grants ([] revokes them)',
  description: 'Runners apply it within `TOOL_GRANTS_CACHE_TTL_MS`; 400 names each bad grant (`grants.<i>`) and its rule.',
  tags: ['tools'],
  auth: 'admin',
  roles: ['admin'],
  params: z.object({ tenantId: Uuid, agent: z.string().min(1) }),
  body: z.object({ grants: ToolGrants }),
  status: 200,
  response: json(z.object({ agent: z.string(), grants: ToolGrants })),
});

export const TOOL_ROUTES: readonly ApiRoute[] = [listTools, getToolGrants, setToolGrants];
