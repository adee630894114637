/**
 * @weaver/api-schema — the REST API's one schema source (zod). A leaf: it depends on zod only,
 * so the gateway, the SDK (shipped as an npm package), the CLI and the docs generator share it.
 */
export * from './route';
export * from './routes';
