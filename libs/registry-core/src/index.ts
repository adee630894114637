/**
 * @weaver/registry-core — the registry's domain: versioned agent definitions with schema
 * compatibility checks, live agent instances with an explicit health state machine, discovery,
 * and the client agent runners use. PostgreSQL schema `registry`.
 */
export * from './clock';
export * from './registry-metrics';
export * from './registry.schema';
export * from './schema-compat/json-schema';
export * from './schema-compat/schema-violation';
export * from './schema-compat/check-compatibility';
export * from './definitions/agent-definition';
export * from './definitions/agent-definition.entity';
export * from './definitions/agent-catalog';
export * from './definitions/definition-compatibility';
export * from './definitions/definition-conflict.error';
export * from './definitions/incompatible-schema.error';
export * from './definitions/semver';
export * from './instances/instance-health';
export * from './instances/partition-takeover';
export * from './instances/instance-directory';
export * from './instances/health-sweeper';
export * from './discovery/agent-discovery';
export * from './grpc/registry-proto.mapper';
export * from './client/heartbeat-loop';
export * from './client/registry-client';
