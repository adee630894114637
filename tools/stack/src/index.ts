/**
 * @weaver/stack — Weaver's six services as child processes against a real broker and
 * database: `startStack(...)` is what `npm run dev` runs and what the end-to-end tests drive.
 */
export * from './stack';
export * from './service-process';
export * from './broker';
export * from './readiness-balancer';
export * from './test-stack';
