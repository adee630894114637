import { port, z } from '@weaver/config';
import { quotaDefaultsConfig } from '@weaver/tenancy-core';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';


/** The tenancy service's environment, validated once at start (documented in .env.example). */
export const tenancyConfigSchema = serviceConfigSchema.extend({
  HTTP_PORT: port(DEFAULT_PORTS.tenancy.http),
  GRPC_PORT: port(DEFAULT_PORTS.tenancy.grpc),
  ...databaseConfigFields,
  /** How long a resolved API key is trusted in this process; revocations elsewhere wait this long. */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  /** Default quotas of tenants without values of their own (QUOTA_DEFAULT_*; docs/security.md). */
  ...quotaDefaultsConfig,
});

export type TenancyConfig = z.infer<typeof tenancyConfigSchema>;
