/**
 * @weaver/registry-core — the registry's domain (PostgreSQL schema `registry`) and its client.
 *
 * ## For agent runners: RegistryClient
 *
 *   const registry = RegistryClient.connect('127.0.0.1:50051', security);  // gRPC host:port, as this service (GRPC_SECURITY)
 *   await registry.registerAgent({ name: 'summarizer', version: '1.2.0', capabilities: ['summarise'],
 *     requires: ['article.fetched'], publishes: ['article.summarized'],
 *     inputSchema: z.toJSONSchema(In, { io: 'input' }), outputSchema: z.toJSONSchema(Out, { io: 'output' }) });
 *     // → { name, version, created }; an identical re-registration gives created=false;
 *     //   an incompatible schema rejects with a ValidationError naming agent, version, field and rule.
 *   const { instanceId, agentVersion } = await registry.registerInstance({ agent: 'summarizer', instanceId? });
 *   const stop = registry.startHeartbeats({ instanceId, agent: 'summarizer' }, {
 *     intervalMs: 5_000,                                       // well below the suspect timeout (15 s)
 *     report: () => ({ inFlight, partitions: [{ topic, partition }] }),
 *     onDrain: async () => { stop taking work; finish in-flight; commit },  // then the loop deregisters
 *   });
 *   await stop(); await registry.deregister(instanceId); registry.close();   // clean shutdown
 *   Also: heartbeat(), drainInstance(), listAgents({ capability?, requiresEvent? }), listInstances(agent?),
 *   whatRunsNext(eventType).
 *
 * Derive input schemas with zod's `io: 'input'` (open objects, defaulted fields optional) and
 * output schemas with `io: 'output'` (closed objects): that is what the compatibility rules
 * assume a reader and a writer to be.
 *
 * ## Compatibility (schema-registry style), see definitions/definition-compatibility.ts
 *   BACKWARD on input: a new version must read everything the previous version's input allowed
 *     (no new required field without a default, no narrowed type, no removed enum value, ...).
 *   FORWARD on output: every consumer (latest version of each agent requiring a published event
 *     type) must read what the new output allows (no removed/optional-made field it requires, no
 *     changed type, ...). `findIncompatibilities(writer, reader, labels)` is the checker itself.
 *
 * ## For the registry service
 *   runMigrations / openServiceDatabase with `registrySchema`, then
 *   `new AgentCatalog(ds, clock?, metrics?)`      register(raw) / find / list / whatRunsNext
 *   `new InstanceDirectory(ds, catalog, { timing: { suspectAfterMs, deadAfterMs }, clock?, metrics?, logger? })`
 *                                                 register / heartbeat / drain / deregister / sweep / list
 *   `new AgentDiscovery(catalog, directory)`      listAgents / whatRunsNext
 *   `new HealthSweeper(directory, intervalMs, onError)` start() / stop()
 * Instance health is the explicit state machine in instances/instance-health.ts
 * (HEALTH_TRANSITIONS); `ManualClock` steps time in tests.
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
export type { AgentInstanceView } from './instances/agent-instance.view';
export * from './instances/instance-directory';
export * from './instances/health-sweeper';
export * from './discovery/agent-discovery';
export * from './tools/tool-catalog';
export * from './tools/tool-proto.mapper';
export * from './grpc/registry-proto.mapper';
export * from './client/heartbeat-loop';
export * from './client/registry-client';
