import { CreateResults1760000000100 } from './migrations/1760000000100-create-results.migration';
import { CreateTenantUsage1760000000101 } from './migrations/1760000000101-create-tenant-usage.migration';
import { PUBLISHER_SCHEMA, ResultEntity } from './result.entity';

/** What a DataSource for the publisher schema needs: pass these to openServiceDatabase. */
export const publisherSchema = {
  schema: PUBLISHER_SCHEMA,
  entities: [ResultEntity],
  migrations: [CreateResults1760000000100, CreateTenantUsage1760000000101],
};
