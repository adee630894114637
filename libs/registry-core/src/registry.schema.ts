import { AgentDefinitionEntity, REGISTRY_SCHEMA } from './definitions/agent-definition.entity';
import { AgentInstanceEntity } from './instances/agent-instance.entity';
import { CreateRegistry1760100000000 } from './migrations/1760100000000-create-registry.migration';
import { CreateMcpServers1760200000000 } from './migrations/1760200000000-create-mcp-servers.migration';

/** What a DataSource for the registry schema needs: pass these to createDataSource/runMigrations. */
export const registrySchema = {
  schema: REGISTRY_SCHEMA,
  entities: [AgentDefinitionEntity, AgentInstanceEntity],
  migrations: [CreateRegistry1760100000000, CreateMcpServers1760200000000],
};
