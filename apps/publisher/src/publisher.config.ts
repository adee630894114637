import { cryptoConfigSchema } from '@weaver/crypto';
import { port, z } from '@weaver/config';
import { resultStoreConfigFields, s3CredentialsTogether } from '@weaver/publisher-core';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';


/** The publisher service's environment, validated once at start (documented in .env.example). */
export const publisherConfigSchema = serviceConfigSchema
  .extend({
    HTTP_PORT: port(DEFAULT_PORTS.publisher.http),
    GRPC_PORT: port(DEFAULT_PORTS.publisher.grpc),
    ...databaseConfigFields,
    /** Per-tenant envelope encryption (on by default; a local keyring file in development). */
    ...cryptoConfigSchema.shape,
    ...resultStoreConfigFields,
    /** HMAC key of capability tokens; every publisher replica needs the same one. */
    CAPABILITY_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** How long a result ref's token stays valid; default 7 days (consumers may lag or replay). */
    CAPABILITY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(7 * 24 * 3600),
    MAX_RESULT_BYTES: z.coerce.number().int().min(1).max(64 * 1024 * 1024).default(4 * 1024 * 1024 - 64 * 1024),
  })
  .refine(s3CredentialsTogether.check, s3CredentialsTogether.issue);

export type PublisherConfig = z.infer<typeof publisherConfigSchema>;
