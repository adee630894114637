import { randomUUID } from 'node:crypto';
import { In, LessThan, Not, type DataSource, type EntityManager } from 'typeorm';
import { FailedPreconditionError, NotFoundError, ValidationError } from '@weaver/errors';
import type { Logger } from '@weaver/observability';
import { systemClock, type Clock } from '../clock';
import type { AgentCatalog } from '../definitions/agent-catalog';
import type { RegistryMetrics } from '../registry-metrics';
import { AgentInstanceEntity } from './agent-instance.entity';
import { assertHealthTiming, healthAfterHeartbeat, healthAfterSilence, nextHealth, type HealthTiming, type InstanceHealth } from './instance-health';
import { parseHeartbeat, parseInstanceId, parseRegisterInstance } from './instance-request';
import { partitionOwnership } from './partition-takeover';
import { toView, type AgentInstanceView } from './agent-instance.view';

export interface HeartbeatOutcome {
  readonly health: InstanceHealth;
  /** Tells the instance to stop taking work, finish in-flight events, commit and deregister. */
  readonly drain: boolean;
}

export interface HealthChange {
  readonly instanceId: string;
  readonly agent: string;
  readonly from: InstanceHealth;
  readonly to: InstanceHealth;
}

export interface InstanceDirectoryOptions {
  readonly timing: HealthTiming;
  readonly clock?: Clock;
  readonly metrics?: RegistryMetrics;
  readonly logger?: Logger;
}

const LIVE: InstanceHealth[] = ['healthy', 'suspect', 'draining'];

/** Running agent instances: registration, heartbeats, drain, deregistration and the health sweep. */
export class InstanceDirectory {
  private readonly timing: HealthTiming;
  private readonly clock: Clock;

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: AgentCatalog,
    private readonly options: InstanceDirectoryOptions,
  ) {
    this.timing = assertHealthTiming(options.timing);
    this.clock = options.clock ?? systemClock;
  }

  /** Registers an instance of a registered agent (its latest version unless one is named). Retries are safe. */
  async register(raw: unknown): Promise<AgentInstanceView> {
    const req = parseRegisterInstance(raw);
    const definition = await this.catalog.find(req.agent, req.agentVersion);
    if (definition === undefined) throw new NotFoundError('agent definition', req.agentVersion === undefined ? req.agent : `${req.agent}@${req.agentVersion}`);
    const instanceId = req.instanceId ?? `${req.agent}-${randomUUID()}`;
    const now = this.clock.now();
    const view = await this.ds.transaction(async (em) => {
      const repo = em.getRepository(AgentInstanceEntity);
      const existing = await this.locked(em, instanceId);
      if (existing === null) {
        const row = repo.create({
          instanceId, definitionId: definition.id, agentName: definition.name, agentVersion: definition.version, host: req.host, pid: req.pid,
          health: 'healthy', drainRequested: false, inFlight: 0, partitions: [], registeredAt: now, lastHeartbeatAt: now, healthChangedAt: now, deregisteredAt: null,
        });
        await repo.save(row, { reload: false });
        return row;
      }
      if (existing.health === 'deregistered') throw new FailedPreconditionError(`instance ${instanceId} was deregistered; register under a new instance id`, { instanceId });
      if (existing.agentName !== definition.name) {
        throw new ValidationError([{ field: 'instanceId', rule: `is already registered for agent "${existing.agentName}"` }], 'instance registration');
      }
      // A retry, or the instance re-registering after the registry lost track of it: it is alive now.
      const health = healthAfterHeartbeat(instanceId, existing.health, existing.drainRequested);
      Object.assign(existing, { definitionId: definition.id, agentVersion: definition.version, host: req.host, pid: req.pid, lastHeartbeatAt: now });
      this.moveTo(existing, health, now);
      await repo.save(existing, { reload: false });
      return existing;
    });
    this.options.logger?.info({ instanceId, agent: definition.name, version: definition.version }, 'instance registered');
    await this.refreshMetrics();
    return toView(view, { partitions: view.partitions, takenOver: [] });
  }

  async heartbeat(raw: unknown): Promise<HeartbeatOutcome> {
    const req = parseHeartbeat(raw);
    const now = this.clock.now();
    const change = await this.ds.transaction(async (em) => {
      const row = await this.requireLive(em, req.instanceId);
      if (req.agent !== undefined && req.agent !== '' && req.agent !== row.agentName) {
        throw new ValidationError([{ field: 'agent', rule: `must be "${row.agentName}", the agent instance ${row.instanceId} registered for` }], 'heartbeat');
      }
      this.options.metrics?.observeHeartbeatLag(Math.max(0, now.getTime() - row.lastHeartbeatAt.getTime()) / 1000);
      const from = row.health;
      this.moveTo(row, healthAfterHeartbeat(row.instanceId, from, row.drainRequested), now);
      Object.assign(row, { lastHeartbeatAt: now, inFlight: req.inFlight, partitions: req.partitions });
      await em.getRepository(AgentInstanceEntity).save(row, { reload: false });
      return { instanceId: row.instanceId, agent: row.agentName, from, to: row.health, drain: row.drainRequested };
    });
    if (change.from !== change.to) await this.changed([change]);
    return { health: change.to, drain: change.drain };
  }

  /** Asks an instance to drain; it learns on its next heartbeat. Draining a draining instance is a no-op. */
  async drain(rawInstanceId: unknown): Promise<AgentInstanceView> {
    const instanceId = parseInstanceId({ instanceId: rawInstanceId });
    const now = this.clock.now();
    const change = await this.ds.transaction(async (em) => {
      const row = await this.requireLive(em, instanceId);
      const from = row.health;
      this.moveTo(row, nextHealth(instanceId, from, 'drain'), now);
      row.drainRequested = true;
      await em.getRepository(AgentInstanceEntity).save(row, { reload: false });
      return { instanceId, agent: row.agentName, from, to: row.health };
    });
    if (change.from !== change.to) await this.changed([change]);
    return this.get(instanceId);
  }

  /** Removes an instance (its clean shutdown). Deregistering twice is a no-op, so shutdown hooks may retry. */
  async deregister(rawInstanceId: unknown): Promise<void> {
    const instanceId = parseInstanceId({ instanceId: rawInstanceId });
    const now = this.clock.now();
    const change = await this.ds.transaction(async (em) => {
      const row = await this.locked(em, instanceId);
      if (row === null) throw new NotFoundError('instance', instanceId);
      if (row.health === 'deregistered') return undefined;
      const from = row.health;
      this.moveTo(row, nextHealth(instanceId, from, 'deregister'), now);
      row.deregisteredAt = now;
      await em.getRepository(AgentInstanceEntity).save(row, { reload: false });
      return { instanceId, agent: row.agentName, from, to: row.health };
    });
    if (change !== undefined) await this.changed([change]);
  }

  /**
   * Moves silent instances along healthy → suspect → dead. Each update is conditional on the
   * state and heartbeat time it was computed from, so a heartbeat landing meanwhile wins and
   * several registry replicas may sweep side by side.
   */
  async sweep(): Promise<HealthChange[]> {
    const now = this.clock.now();
    const repo = this.ds.getRepository(AgentInstanceEntity);
    const silent = await repo.find({ where: { health: In(LIVE), lastHeartbeatAt: LessThan(new Date(now.getTime() - this.timing.suspectAfterMs)) } });
    const changes: HealthChange[] = [];
    for (const row of silent) {
      const to = healthAfterSilence(row.instanceId, row.health, now.getTime() - row.lastHeartbeatAt.getTime(), this.timing);
      if (to === row.health) continue;
      const result = await repo.update({ instanceId: row.instanceId, health: row.health, lastHeartbeatAt: row.lastHeartbeatAt }, { health: to, healthChangedAt: now });
      if (result.affected === 1) changes.push({ instanceId: row.instanceId, agent: row.agentName, from: row.health, to });
    }
    await this.changed(changes);
    return changes;
  }

  /** Instances not deregistered, optionally of some agents, with partition ownership resolved. */
  async list(filter: { agents?: readonly string[] } = {}): Promise<AgentInstanceView[]> {
    const where = filter.agents === undefined ? { health: Not('deregistered' as const) } : { health: Not('deregistered' as const), agentName: In([...filter.agents]) };
    const rows = await this.ds.getRepository(AgentInstanceEntity).find({ where, order: { agentName: 'ASC', registeredAt: 'ASC', instanceId: 'ASC' } });
    const ownership = partitionOwnership(rows.map((r) => ({ instanceId: r.instanceId, agent: r.agentName, health: r.health, partitions: r.partitions, lastHeartbeatAt: r.lastHeartbeatAt })));
    return rows.map((r) => toView(r, ownership.get(r.instanceId) ?? { partitions: r.partitions, takenOver: [] }));
  }

  async get(instanceId: string): Promise<AgentInstanceView> {
    const row = await this.ds.getRepository(AgentInstanceEntity).findOne({ where: { instanceId } });
    if (row === null) throw new NotFoundError('instance', instanceId);
    const views = row.health === 'deregistered' ? [toView(row, { partitions: [], takenOver: [] })] : await this.list({ agents: [row.agentName] });
    return views.find((v) => v.instanceId === instanceId)!;
  }

  async countByHealth(): Promise<Partial<Record<InstanceHealth, number>>> {
    const rows = (await this.ds.query('SELECT health, count(*)::int AS n FROM registry.agent_instances GROUP BY health')) as { health: InstanceHealth; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.health, r.n]));
  }

  async refreshMetrics(): Promise<void> {
    if (this.options.metrics !== undefined) this.options.metrics.setInstanceCounts(await this.countByHealth());
  }

  private locked(em: EntityManager, instanceId: string): Promise<AgentInstanceEntity | null> {
    return em.getRepository(AgentInstanceEntity).findOne({ where: { instanceId }, lock: { mode: 'pessimistic_write' } });
  }

  private async requireLive(em: EntityManager, instanceId: string): Promise<AgentInstanceEntity> {
    const row = await this.locked(em, instanceId);
    if (row === null) throw new NotFoundError('instance', instanceId);
    if (row.health === 'deregistered') throw new FailedPreconditionError(`instance ${instanceId} is deregistered; register again`, { instanceId });
    return row;
  }

  private moveTo(row: AgentInstanceEntity, health: InstanceHealth, now: Date): void {
    if (row.health !== health) row.healthChangedAt = now;
    row.health = health;
  }

  private async changed(changes: readonly HealthChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (const c of changes) this.options.logger?.info(c, `instance ${c.instanceId} ${c.from} -> ${c.to}`);
    await this.refreshMetrics();
  }
}
