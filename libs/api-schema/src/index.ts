/**
 * @weaver/api-schema — the REST API's one schema source (zod). A leaf: it depends on zod only,
 * so the gateway, the SDK (shipped as an npm package), the CLI and the docs generator share it.
 * `API_ROUTES` lists every route; `openApiDocument` makes the OpenAPI 3.1 document of them;
 * `parseRequestParts` checks a request against its route (the gateway's `parseRequest`).
 */
export * from './route';
export * from './routes';
export * from './schemas/common';
export * from './schemas/run';
export * from './schemas/registry';
export * from './openapi';
export * from './request';
// The router's OpenAI-compatible API (its own routes, not the gateway's API_ROUTES).
export * from './routes/openai';
