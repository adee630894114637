import { z } from 'zod';
import type { ApiRoute, RouteAuth } from './route';
import { ErrorEnvelope } from './schemas/common';
import { McpServer, RegisteredAgent } from './schemas/registry';
import { Run, RunEvent, RunStep } from './schemas/run';

type Json = Record<string, unknown>;

/** Schemas shown once under components.schemas and referenced wherever a route uses them. */
export const API_COMPONENTS: Readonly<Record<string, z.ZodType>> = { Run, RunStep, RunEvent, RegisteredAgent, McpServer, Error: ErrorEnvelope };

const SECURITY_SCHEMES = {
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'A tenant API key (`wv_...`).' },
  bearer: { type: 'http', scheme: 'bearer', description: 'A tenant API key as `Authorization: Bearer wv_...`.' },
  adminToken: { type: 'apiKey', in: 'header', name: 'x-admin-token', description: 'The installation\'s admin token (GATEWAY_ADMIN_TOKEN). A tenant key with the admin role administers its own tenant instead.' },
  capability: { type: 'http', scheme: 'Capability', description: '`Authorization: Capability <token>`: a capability token for one run\'s result (audience `weaver:gateway.result`).' },
} as const;

const SECURITY: Record<RouteAuth, Json[]> = {
  apiKey: [{ apiKey: [] }, { bearer: [] }],
  admin: [{ adminToken: [] }, { apiKey: [] }, { bearer: [] }],
  apiKeyOrCapability: [{ apiKey: [] }, { bearer: [] }, { capability: [] }],
  public: [],
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request: `details.violations` names each field and rule',
  401: 'No valid credentials',
  403: 'Refused by the tenant\'s access policies (PERMISSION_DENIED names the action and policies)',
  404: 'Not found (another tenant\'s resources are not visible)',
  412: 'A precondition (expected version) no longer holds',
  429: 'A quota or the credential throttle refused it; `Retry-After` says when to retry',
  500: 'Internal error',
  503: 'Unavailable: retriable',
};

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly serverUrl?: string;
}

/** The OpenAPI 3.1 document of `routes` (JSON Schema 2020-12 from the zod schemas via `z.toJSONSchema`). */
export function openApiDocument(routes: readonly ApiRoute[], info: OpenApiInfo): Json {
  const { components, responseRef } = responseSchemas(routes);
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, responseRef(route));
  const tags = [...new Set(routes.flatMap((r) => r.tags))].sort().map((name) => ({ name, description: `The ${name} routes.` }));
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description ?? '', license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    servers: [{ url: info.serverUrl ?? 'http://127.0.0.1:8080', description: 'a local gateway (`weaver dev`)' }],
    tags,
    paths,
    components: { schemas: components, securitySchemes: SECURITY_SCHEMES },
  };
}

/** One registry pass: shared components plus one `<OperationId>Response` per JSON route, with $refs between them. */
function responseSchemas(routes: readonly ApiRoute[]): { components: Record<string, Json>; responseRef: (r: ApiRoute) => Json | undefined } {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(API_COMPONENTS)) registry.add(schema, { id });
  const ids = new Map<ApiRoute, string>();
  for (const route of routes) {
    if (route.response.kind !== 'json' || route.status === 204) continue;
    const schema = route.response.schema;
    const existing = registry.get(schema)?.id;
    const id = existing ?? `${route.operationId[0]!.toUpperCase()}${route.operationId.slice(1)}Response`;
    if (!existing) registry.add(schema, { id });
    ids.set(route, id);
  }
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any', io: 'output' }) as { schemas: Record<string, Json> };
  const components = Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
  return { components, responseRef: (r) => (ids.has(r) ? { $ref: `#/components/schemas/${ids.get(r)}` } : undefined) };
}

/** An inline JSON Schema (request parts: what a caller writes, before defaults). */
function inline(schema: z.ZodType): Json {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Json;
  return json;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = inline(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function operation(route: ApiRoute, responseRef: Json | undefined): Json {
  const success =
    route.response.kind === 'sse'
      ? { description: 'An event stream (`text/event-stream`); each `data:` is a RunEvent (components.schemas.RunEvent)', content: { 'text/event-stream': { schema: { type: 'string', 'x-sse-data': { $ref: '#/components/schemas/RunEvent' } } } } }
      : route.status === 204
        ? { description: 'No content' }
        : { description: 'OK', content: { 'application/json': { schema: responseRef } } };
  const errors = [...new Set([400, 401, 403, 429, 500, ...(route.errors ?? [])])].filter((s) => route.auth !== 'public' || s === 500).sort();
  const responses: Json = { [String(route.status)]: success };
  for (const status of errors) responses[String(status)] = { description: ERROR_TEXT[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    security: SECURITY[route.auth],
    ...(route.roles ? { 'x-weaver-roles': [...route.roles] } : {}),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: inline(route.body) } } } } : {}),
    responses,
  };
}
