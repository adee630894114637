import { Module } from '@nestjs/common';
import { KEYS_MIGRATIONS, KEYS_SCHEMA } from '@weaver/crypto';
import { credentialsOf, runMigrations } from '@weaver/persistence';
import { SERVICE_CONFIG, SERVICE_DATABASE, ServiceDatabaseModule } from '@weaver/service-kit';
import { TenantDirectory, tenancySchema } from '@weaver/tenancy-core';
import type { DataSource } from 'typeorm';

import type { TenancyConfig } from './tenancy.config';
import { TenancyGrpcController } from './tenancy.grpc-controller';

const KEYS_MIGRATED = Symbol('tenancy.keys-migrated');

@Module({
  imports: [ServiceDatabaseModule.forRoot({ ...tenancySchema, applicationName: 'weaver-tenancy' })],
  controllers: [TenancyGrpcController],
  providers: [
    {
      provide: TenantDirectory,
      inject: [SERVICE_DATABASE, SERVICE_CONFIG],
      useFactory: (ds: DataSource, config: TenancyConfig) => new TenantDirectory(ds, { resolutionTtlMs: config.API_KEY_CACHE_TTL_MS }),
    },
    {
      // Tenancy owns the tenants' data keys (keys.data_keys, @weaver/crypto): it migrates that
      // schema too, before it serves. The other services only read keys and create a tenant's
      // first one lazily; rotation and shredding are operator steps (tools/keys, tools/privacy).
      provide: KEYS_MIGRATED,
      inject: [SERVICE_CONFIG, SERVICE_DATABASE],
      useFactory: async (config: TenancyConfig): Promise<boolean> => {
        if (config.DATABASE_OWNER_URL === undefined) return false; // a deploy job migrates
        await runMigrations({ url: config.DATABASE_OWNER_URL, schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS, appRole: credentialsOf(config.DATABASE_URL) });
        return true;
      },
    },
  ],
})
export class TenancyModule {}
