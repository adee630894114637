import { Inject, Injectable } from '@nestjs/common';
import { AgentHost, AgentMemoryService, WorkflowScheduler } from '@weaver/agent-runtime';
import type { Logger } from '@weaver/observability';
import { InjectLogger, Readiness, SERVICE_CONFIG, ServiceLifecycle, type LifecycleWorker } from '@weaver/service-kit';
import type { AgentRunnerConfig } from './agent-runner.config';
import { RegistryPresence } from './registry-presence';

export const REGISTRY_PRESENCE = Symbol('agent-runner.registry-presence');

/**
 * Starts consuming once the app is up, and on SIGTERM stops consuming, lets in-flight steps
 * finish and commit, leaves the consumer groups (so partitions move at once) and deregisters.
 */
@Injectable()
export class AgentHostLifecycle implements LifecycleWorker {
  private ready = false;

  constructor(
    private readonly host: AgentHost,
    private readonly scheduler: WorkflowScheduler,
    private readonly memory: AgentMemoryService,
    @Inject(REGISTRY_PRESENCE) private readonly presence: RegistryPresence | null,
    @Inject(SERVICE_CONFIG) private readonly config: AgentRunnerConfig,
    @InjectLogger() private readonly logger: Logger,
    readiness: Readiness,
    lifecycle: ServiceLifecycle,
  ) {
    readiness.register('agents', () => this.ready);
    lifecycle.work('agents', this);
  }

  async start(): Promise<void> {
    if (this.config.PROVISION_TOPICS) await this.host.provision(this.config.TOPIC_PARTITIONS);
    await this.host.start();
    // Scheduled workflows fire only for the configured tenants (WEAVER_SCHEDULE_TENANTS), from the dispatching runners.
    if (this.config.WEAVER_DISPATCH) await this.scheduler.start();
    this.memory.start(); // the periodic sweep of expired memory
    this.ready = true;
    this.logger.info({ agents: this.host.assignedPartitions.length }, 'agents are consuming');
    // A refused (incompatible) definition stops the start unless REGISTRY_STRICT=false (dev).
    if (this.presence) await this.presence.join(this.host.hostedAgents, this.config.HEARTBEAT_INTERVAL_MS, this.config.REGISTRY_STRICT);
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.scheduler.stop();
    this.logger.info({ inFlight: this.host.inFlight }, 'stopping agents: finishing in-flight steps');
    await this.host.stop(Math.max(1_000, this.config.SHUTDOWN_TIMEOUT_MS - 2_000));
    await this.memory.stop();
    await this.presence?.leave();
  }
}
