import { randomUUID } from 'node:crypto';
import { ArrayContains, IsNull, Raw, type DataSource, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { matchesEventType } from '@weaver/sdk/internal';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { RegistryMetrics } from '../registry-metrics';
import { deepEqual } from '../schema-compat/json-schema';
import { parseAgentDefinition, type AgentDefinition, type AgentDefinitionSpec } from './agent-definition';
import { AgentDefinitionEntity } from './agent-definition.entity';
import { definitionIncompatibilities } from './definition-compatibility';
import { DefinitionVersionConflictError, StaleVersionError } from './definition-conflict.error';
import { IncompatibleSchemaError } from './incompatible-schema.error';
import { compareSemVer, parseSemVer } from './semver';

/**
 * Rows whose `requires` holds one of `types` exactly or any pattern (`*`, `#`): the SQL narrows,
 * `matchesEventType` decides (patterns are few and short; no pattern index needed).
 */
const requiresAnyOrPattern = (types: readonly string[]) =>
  Raw((column) => `(${column} && CAST(:types AS text[]) OR EXISTS (SELECT 1 FROM unnest(${column}) AS req WHERE req LIKE '%*%' OR req LIKE '%#%'))`, { types: [...types] });
const consumesAny = (requires: readonly string[], types: readonly string[]): boolean => types.some((t) => requires.some((r) => matchesEventType(r, t)));

export interface RegisterOutcome {
  readonly definition: AgentDefinition;
  /** false when an identical definition was already registered (a safe retry). */
  readonly created: boolean;
}

export interface DefinitionFilter {
  readonly capability?: string;
  readonly requiresEvent?: string;
  /** Only platform-wide definitions plus this tenant's; omitted = all. */
  readonly tenantId?: string;
}

const SPEC_FIELDS = ['tenantId', 'name', 'version', 'description', 'capabilities', 'requires', 'publishes', 'inputSchema', 'outputSchema', 'maxConcurrency', 'timeoutMs'] as const;

/** Registration is rare and its FORWARD check reads other agents' latest versions: one at a time. */
const REGISTRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('weaver.registry.definitions'))";

/**
 * Versioned agent definitions: registration with the schema-registry compatibility checks, and
 * the latest version of each agent for discovery and "what runs next".
 */
export class AgentCatalog {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock = systemClock,
    private readonly metrics?: RegistryMetrics,
  ) {}

  async register(raw: unknown): Promise<RegisterOutcome> {
    const spec = parseAgentDefinition(raw);
    const outcome = await this.ds.transaction(async (em) => {
      await em.query(REGISTRATION_LOCK);
      const repo = em.getRepository(AgentDefinitionEntity);
      const versions = await repo.find({ where: { name: spec.name, tenantId: spec.tenantId ?? IsNull() } });
      const existing = versions.find((v) => v.version === spec.version);
      if (existing !== undefined) {
        const differing = SPEC_FIELDS.filter((f) => !deepEqual(existing[f], spec[f]));
        if (differing.length > 0) throw new DefinitionVersionConflictError(spec.name, spec.version, differing);
        return { definition: toDefinition(existing), created: false };
      }
      const latest = versions.find((v) => v.isLatest);
      if (latest !== undefined && compareSemVer(parseSemVer(spec.version)!, parseSemVer(latest.version)!) <= 0) {
        throw new StaleVersionError(spec.name, spec.version, latest.version);
      }
      const problems = definitionIncompatibilities(spec, latest, await this.consumersOf(em, spec));
      if (problems.length > 0) {
        this.metrics?.definitionRefused(problems.map((p) => p.rule));
        throw new IncompatibleSchemaError(spec.name, spec.version, problems);
      }
      if (latest !== undefined) await repo.update({ id: latest.id }, { isLatest: false });
      const entity = repo.create({ ...spec, capabilities: [...spec.capabilities], requires: [...spec.requires], publishes: [...spec.publishes], id: randomUUID(), isLatest: true, createdAt: this.clock.now() });
      await repo.save(entity, { reload: false });
      return { definition: toDefinition(entity), created: true };
    });
    if (outcome.created) await this.refreshMetrics();
    return outcome;
  }

  /** One version of an agent, or its latest when `version` is omitted. */
  async find(name: string, version?: string, tenantId: string | null = null): Promise<AgentDefinition | undefined> {
    const where: FindOptionsWhere<AgentDefinitionEntity> = { name, tenantId: tenantId ?? IsNull() };
    const found = await this.ds.getRepository(AgentDefinitionEntity).findOne({ where: version === undefined ? { ...where, isLatest: true } : { ...where, version } });
    return found === null ? undefined : toDefinition(found);
  }

  /** The latest version of every agent matching the filter, by name. */
  async list(filter: DefinitionFilter = {}): Promise<AgentDefinition[]> {
    const where: FindOptionsWhere<AgentDefinitionEntity> = { isLatest: true };
    if (filter.capability !== undefined) where.capabilities = ArrayContains([filter.capability]);
    const event = filter.requiresEvent;
    if (event !== undefined) where.requires = requiresAnyOrPattern([event]);
    const scoped = filter.tenantId === undefined ? where : [{ ...where, tenantId: IsNull() }, { ...where, tenantId: filter.tenantId }];
    const rows = await this.ds.getRepository(AgentDefinitionEntity).find({ where: scoped, order: { name: 'ASC', tenantId: 'ASC' } });
    return rows.filter((r) => event === undefined || consumesAny(r.requires, [event])).map(toDefinition);
  }

  /** The agents that consume `eventType` (requiring it, or a pattern matching it): what runs after an event of that type is published. */
  whatRunsNext(eventType: string, tenantId?: string): Promise<AgentDefinition[]> {
    return this.list({ requiresEvent: eventType, tenantId });
  }

  async counts(): Promise<{ agents: number; versions: number }> {
    const [row] = (await this.ds.query(
      'SELECT count(*) FILTER (WHERE is_latest)::int AS agents, count(*)::int AS versions FROM registry.agent_definitions',
    )) as [{ agents: number; versions: number }];
    return row;
  }

  async refreshMetrics(): Promise<void> {
    if (this.metrics !== undefined) this.metrics.setDefinitionCounts(await this.counts());
  }

  /** Latest versions of the agents that consume what `spec` publishes, within its tenant's view. */
  private async consumersOf(em: EntityManager, spec: AgentDefinitionSpec): Promise<AgentDefinitionEntity[]> {
    if (spec.publishes.length === 0) return [];
    const where: FindOptionsWhere<AgentDefinitionEntity> = { isLatest: true, requires: requiresAnyOrPattern(spec.publishes) };
    // A platform-wide producer feeds every tenant's consumers; a tenant's producer only its own and the platform's.
    const scoped = spec.tenantId === null ? where : [{ ...where, tenantId: IsNull() }, { ...where, tenantId: spec.tenantId }];
    return (await em.getRepository(AgentDefinitionEntity).find({ where: scoped })).filter((c) => consumesAny(c.requires, spec.publishes));
  }
}

function toDefinition(e: AgentDefinitionEntity): AgentDefinition {
  return {
    id: e.id,
    tenantId: e.tenantId,
    name: e.name,
    version: e.version,
    description: e.description,
    capabilities: e.capabilities,
    requires: e.requires,
    publishes: e.publishes,
    inputSchema: e.inputSchema,
    outputSchema: e.outputSchema,
    maxConcurrency: e.maxConcurrency,
    timeoutMs: e.timeoutMs,
    createdAt: e.createdAt,
  };
}
