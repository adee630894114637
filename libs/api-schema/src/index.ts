/**
 * @weaver/api-schema — the REST API's one schema source (zod). A leaf: it depends on zod only,
 * so the gateway, the SDK (shipped as an npm package), the CLI and the docs generator share it.
 */
export * from './route';
export * from './routes';
// The router's OpenAI-compatible API (its own routes, not the gateway's API_ROUTES).
export * from './routes/openai';
