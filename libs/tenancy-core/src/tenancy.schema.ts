import { ApiKeyEntity } from './api-key.entity';
import { CreateTenancy1760000000000 } from './migrations/1760000000000-create-tenancy.migration';
import { ApiKeyRoles1766000000001 } from './migrations/1766000000001-api-key-roles.migration';
import { TriggerKeys1765000000000 } from './migrations/1765000000000-trigger-keys.migration';
import { CreateTenantQuotas1760000000001 } from './migrations/1760000000001-create-tenant-quotas.migration';
import { Regions1767000000000 } from './migrations/1767000000000-regions.migration';
import { TenantLifecycle1768000000000 } from './migrations/1768000000000-tenant-lifecycle.migration';
import { TENANCY_SCHEMA, TenantEntity } from './tenant.entity';
import { TriggerKeyEntity } from './trigger-key.entity';

/** What a DataSource for the tenancy schema needs: pass these to createDataSource/runMigrations. */
export const tenancySchema = {
  schema: TENANCY_SCHEMA,
  entities: [TenantEntity, ApiKeyEntity, TriggerKeyEntity],
  migrations: [CreateTenancy1760000000000, CreateTenantQuotas1760000000001, TriggerKeys1765000000000, ApiKeyRoles1766000000001, Regions1767000000000, TenantLifecycle1768000000000],
};
