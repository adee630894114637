import { ValidationError } from '@weaver/errors';
import { EVENT_TYPE, type AgentDefinition } from '../definitions/agent-definition';
import type { AgentCatalog, DefinitionFilter } from '../definitions/agent-catalog';
import type { AgentInstanceView } from '../instances/agent-instance.view';
import type { InstanceDirectory } from '../instances/instance-directory';

export interface RegisteredAgentView {
  /** The agent's latest version. */
  readonly definition: AgentDefinition;
  /** Its instances of any version, not deregistered. */
  readonly instances: AgentInstanceView[];
  readonly healthyInstances: number;
}

/** Discovery: which agents exist, who runs them and how they are doing. */
export class AgentDiscovery {
  constructor(
    private readonly catalog: AgentCatalog,
    private readonly directory: InstanceDirectory,
  ) {}

  async listAgents(filter: DefinitionFilter = {}): Promise<RegisteredAgentView[]> {
    const definitions = await this.catalog.list(filter);
    if (definitions.length === 0) return [];
    const instances = await this.directory.list({ agents: [...new Set(definitions.map((d) => d.name))] });
    return definitions.map((definition) => {
      const own = instances.filter((i) => i.agent === definition.name);
      return { definition, instances: own, healthyInstances: own.filter((i) => i.health === 'healthy').length };
    });
  }

  async whatRunsNext(eventType: string, tenantId?: string): Promise<AgentDefinition[]> {
    if (!EVENT_TYPE.test(eventType)) {
      throw new ValidationError([{ field: 'eventType', rule: 'must be an event type such as "article.summarized"' }], 'request');
    }
    return this.catalog.whatRunsNext(eventType, tenantId);
  }
}
