import { ApiKeyEntity } from './api-key.entity';
import { CreateTenancy1760000000000 } from './migrations/1760000000000-create-tenancy.migration';
import { CreateTenantQuotas1760000000001 } from './migrations/1760000000001-create-tenant-quotas.migration';
import { TENANCY_SCHEMA, TenantEntity } from './tenant.entity';

/** What a DataSource for the tenancy schema needs: pass these to createDataSource/runMigrations. */
export const tenancySchema = {
  schema: TENANCY_SCHEMA,
  entities: [TenantEntity, ApiKeyEntity],
  migrations: [CreateTenancy1760000000000, CreateTenantQuotas1760000000001],
};
