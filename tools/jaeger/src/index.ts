/** Jaeger v2 for tests: start/stop (in-memory storage, OTLP receiver) and a query-API reader. */
export * from './jaeger-server';
export * from './jaeger-query';
