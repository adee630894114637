import { hostname } from 'node:os';
import { GRPC_SERVICES, type registry } from '@weaver/contracts';
import { grpcClient, unary, type GrpcClientOptions, type GrpcSecurity } from '@weaver/service-kit';
import type { AgentDefinition, AgentDefinitionInput } from '../definitions/agent-definition';
import type { InstanceHealth } from '../instances/instance-health';
import { definitionInputToProto, healthFromProto } from '../grpc/registry-proto.mapper';
import { runHeartbeats, type HeartbeatOptions, type HeartbeatReport, type StopHeartbeats } from './heartbeat-loop';

export interface InstanceRegistration {
  readonly agent: string;
  /** Default: the agent's latest registered version. */
  readonly agentVersion?: string;
  /** Default: assigned by the registry. Use a stable id to make registration retry-safe. */
  readonly instanceId?: string;
  readonly host?: string;
  readonly pid?: number;
}

/**
 * The registry as an agent runner uses it: typed, promise-based, errors as WeaverErrors
 * (an incompatible definition rejects with a ValidationError naming field and rule).
 */
export class RegistryClient {
  constructor(
    private readonly client: registry.RegistryServiceClient,
    private readonly onClose: () => void = () => undefined,
  ) {}

  /** Connects to the registry's gRPC address (host:port) as the caller's identity (`security`). */
  static connect(url: string, security: GrpcSecurity, options: GrpcClientOptions = {}): RegistryClient {
    const handle = grpcClient<registry.RegistryServiceClient>(GRPC_SERVICES.registry, url, security, options);
    return new RegistryClient(handle.client, handle.close);
  }

  async registerAgent(definition: AgentDefinitionInput): Promise<{ name: string; version: string; created: boolean }> {
    const res = await unary(this.client.registerAgent({ definition: definitionInputToProto(definition) }));
    return { name: res.name, version: res.version, created: res.created };
  }

  async registerInstance(req: InstanceRegistration): Promise<{ instanceId: string; agentVersion: string }> {
    return unary(
      this.client.registerInstance({
        agent: req.agent,
        agentVersion: req.agentVersion ?? '',
        instanceId: req.instanceId ?? '',
        host: req.host ?? hostname(),
        pid: req.pid ?? process.pid,
      }),
    );
  }

  async heartbeat(instanceId: string, report: HeartbeatReport, agent = ''): Promise<{ health: InstanceHealth; drain: boolean }> {
    const res = await unary(this.client.heartbeat({ instanceId, agent, inFlight: report.inFlight, assignedPartitions: report.partitions.map((p) => ({ ...p })) }));
    return { health: healthFromProto(res.health), drain: res.drain };
  }

  /**
   * Heartbeats every `intervalMs` with what `report()` says; when the registry answers
   * drain=true, runs `onDrain` (stop taking work, finish in flight, commit), then deregisters.
   * Returns a function that stops the heartbeats.
   */
  startHeartbeats(instance: { instanceId: string; agent?: string }, options: HeartbeatOptions): StopHeartbeats {
    return runHeartbeats(
      { heartbeat: (report) => this.heartbeat(instance.instanceId, report, instance.agent), deregister: () => this.deregister(instance.instanceId) },
      options,
    );
  }

  async deregister(instanceId: string): Promise<void> {
    await unary(this.client.deregister({ instanceId }));
  }

  async drainInstance(instanceId: string): Promise<registry.AgentInstance> {
    return (await unary(this.client.drainInstance({ instanceId }))).instance!;
  }

  /** Reports the MCP servers this runner discovered (replaces its previous report). */
  async reportTools(runnerId: string, servers: registry.McpServer[]): Promise<number> {
    return (await unary(this.client.reportTools({ runnerId, servers }))).servers;
  }

  async listTools(): Promise<registry.McpServer[]> {
    return (await unary(this.client.listTools({}))).servers;
  }

  async listAgents(filter: { capability?: string; requiresEvent?: string } = {}): Promise<registry.RegisteredAgent[]> {
    return (await unary(this.client.listAgents(filter))).agents;
  }

  async listInstances(agent?: string): Promise<registry.AgentInstance[]> {
    return (await unary(this.client.listInstances(agent === undefined ? {} : { agent }))).instances;
  }

  /** The agents that consume `eventType`, with their input schemas parsed back to objects. */
  async whatRunsNext(eventType: string): Promise<Array<Pick<AgentDefinition, 'name' | 'version' | 'capabilities' | 'requires' | 'publishes' | 'inputSchema'>>> {
    const res = await unary(this.client.whatRunsNext({ eventType }));
    return res.agents.map((a) => ({ name: a.name, version: a.version, capabilities: a.capabilities, requires: a.requires, publishes: a.publishes, inputSchema: JSON.parse(a.inputSchemaJson) as AgentDefinition['inputSchema'] }));
  }

  close(): void {
    this.onClose();
  }
}
