export * from './tracing-config';
export * from './start-tracing';
export * from './spans';
export { isTracing } from './tracing-state';
