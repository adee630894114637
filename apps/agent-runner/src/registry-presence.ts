import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AgentHost } from '@weaver/agent-runtime';
import type { Logger } from '@weaver/observability';
import type { RegistryClient } from '@weaver/registry-core';
import type { AgentDefinition } from '@weaver/sdk';
import type { DiscoveredServer } from '@weaver/toolkit';

/**
 * Makes this runner visible in the registry: each hosted agent's definition (with its JSON
 * Schemas, so incompatible versions are refused) and one instance per agent that heartbeats
 * its in-flight count and partitions. When an operator drains an instance, that agent stops
 * taking work, finishes and commits what is in flight, and leaves its consumer group.
 */
export class RegistryPresence {
  private stops: Array<() => Promise<void>> = [];
  private instances: string[] = [];
  private readonly bootId = randomUUID().slice(0, 8);

  constructor(
    private readonly registry: RegistryClient,
    private readonly host: AgentHost,
    private readonly logger: Logger,
    private readonly instancePrefix: string,
    /** The MCP servers this runner discovered at start, reported so the registry can list them. */
    private readonly discovered: () => DiscoveredServer[] = () => [],
  ) {}

  async join(agents: AgentDefinition[], intervalMs: number, strict: boolean): Promise<void> {
    for (const def of agents) {
      try {
        await this.register(def, intervalMs);
      } catch (error) {
        if (strict) throw error;
        this.logger.error({ agent: def.name, version: def.version, err: String(error) }, 'the registry refused this agent; running it unregistered (REGISTRY_STRICT=false). Bump its version to register the change.');
      }
    }
    await this.reportTools();
  }

  /** The tool listing is informational: a failed report is logged, the runner serves anyway. */
  private async reportTools(): Promise<void> {
    const servers = this.discovered();
    try {
      await this.registry.reportTools(
        this.instancePrefix,
        servers.map((s) => ({
          server: s.server,
          transport: s.transport,
          status: s.status,
          error: s.error ?? '',
          tools: s.tools.map((t) => ({ name: t.name, description: t.description, inputSchemaJson: JSON.stringify(t.inputSchema) })),
          resources: s.resources,
          prompts: s.prompts,
          runnerId: this.instancePrefix,
          reportedAt: '',
        })),
      );
    } catch (error) {
      this.logger.warn({ err: String(error), servers: servers.length }, 'could not report the discovered MCP servers to the registry');
    }
  }

  private async register(def: AgentDefinition, intervalMs: number): Promise<void> {
    await this.registry.registerAgent({
      name: def.name,
      version: def.version,
      description: def.description,
      capabilities: def.capabilities.map((c) => c.name),
      requires: def.requires,
      publishes: def.publishes,
      inputSchema: def.inputJsonSchema ?? {},
      outputSchema: def.outputJsonSchema ?? {},
      maxConcurrency: def.limits.maxConcurrency ?? 0,
      timeoutMs: def.limits.timeoutMs ?? 0,
    });
    // A fresh id per process start: the registry never revives a deregistered instance, and a
    // restarted runner is a new instance (the old one shows dead, its partitions taken over).
    const { instanceId } = await this.registry.registerInstance({
      agent: def.name,
      agentVersion: def.version,
      instanceId: `${this.instancePrefix}.${def.name}.${this.bootId}`,
      host: hostname(),
      pid: process.pid,
    });
    this.instances.push(instanceId);
    this.stops.push(
      this.registry.startHeartbeats(
        { instanceId, agent: def.name },
        {
          intervalMs,
          report: () => this.host.agentStatus(def.name),
          onDrain: async () => {
            this.logger.info({ agent: def.name, instanceId }, 'drain requested: finishing in-flight steps, then leaving');
            await this.host.stopAgent(def.name);
          },
          onError: (error) => this.logger.warn({ agent: def.name, err: String(error) }, 'heartbeat failed'),
        },
      ),
    );
    this.logger.info({ agent: def.name, version: def.version, instanceId }, 'registered with the registry');
  }

  /** Clean shutdown: stop heartbeats and deregister, so the registry does not wait to call us dead. */
  async leave(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
    await Promise.all(this.instances.map((id) => this.registry.deregister(id).catch(() => undefined)));
    this.registry.close();
  }
}
