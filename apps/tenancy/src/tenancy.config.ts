import { port, z } from '@weaver/config';
import { DEFAULT_PORTS, serviceConfigSchema } from '@weaver/service-kit';

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/[^/]+\/.+/, 'must be a postgres://user:password@host:port/database URL');

/** The tenancy service's environment, validated once at start (documented in .env.example). */
export const tenancyConfigSchema = serviceConfigSchema.extend({
  HTTP_PORT: port(DEFAULT_PORTS.tenancy.http),
  GRPC_PORT: port(DEFAULT_PORTS.tenancy.grpc),
  /** weaver_app's URL: what the service queries with, always under row-level security. */
  DATABASE_URL: postgresUrl,
  /** The owner's URL: runs the schema's migrations at start. Unset → migrations are someone else's job. */
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a resolved API key is trusted in this process; revocations elsewhere wait this long. */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
});

export type TenancyConfig = z.infer<typeof tenancyConfigSchema>;
