import { Injectable } from '@nestjs/common';
import type { Logger } from '@weaver/observability';
import { AgentCatalog, HealthSweeper, InstanceDirectory } from '@weaver/registry-core';
import { InjectLogger, InjectServiceConfig, ServiceLifecycle, type LifecycleWorker } from '@weaver/service-kit';

import type { RegistryConfig } from './registry.config';

/**
 * Runs the health sweep for this process's lifetime: started once the app is up (and the
 * gauges primed from the database), stopped before the servers and the pool close.
 */
@Injectable()
export class HealthSweepRunner implements LifecycleWorker {
  private readonly sweeper: HealthSweeper;

  constructor(
    private readonly catalog: AgentCatalog,
    private readonly directory: InstanceDirectory,
    @InjectServiceConfig() config: RegistryConfig,
    @InjectLogger() log: Logger,
    lifecycle: ServiceLifecycle,
  ) {
    this.sweeper = new HealthSweeper(directory, config.HEALTH_SWEEP_INTERVAL_MS, (err) => log.warn({ err }, 'health sweep failed; retrying next interval'));
    lifecycle.work('health sweep', this);
  }

  async start(): Promise<void> {
    await Promise.all([this.catalog.refreshMetrics(), this.directory.refreshMetrics()]);
    this.sweeper.start();
  }

  async stop(): Promise<void> {
    await this.sweeper.stop();
  }
}
