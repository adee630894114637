import { cryptoConfigSchema } from '@weaver/crypto';
import { csv, port, z } from '@weaver/config';
import { CAPABILITY_AUDIENCES, capabilitySigningKey, capabilityVerifyKeys, resultStoreConfigFields, s3CredentialsTogether } from '@weaver/publisher-core';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields, tenantQuotaConfigFields } from '@weaver/service-kit';


/** The publisher service's environment, validated once at start (documented in .env.example). */
export const publisherConfigSchema = serviceConfigSchema
  .extend({
    HTTP_PORT: port(DEFAULT_PORTS.publisher.http),
    GRPC_PORT: port(DEFAULT_PORTS.publisher.grpc),
    ...databaseConfigFields,
    /** Per-tenant envelope encryption (on by default; a local keyring file in development). */
    ...cryptoConfigSchema.shape,
    ...resultStoreConfigFields,
    /** Private Ed25519 JWK that signs capability tokens (every publisher replica the same; see docs/security.md). */
    CAPABILITY_SIGNING_KEY: capabilitySigningKey,
    /** Public JWK Set of every key whose tokens are still accepted (rotation: old and new). */
    CAPABILITY_VERIFY_KEYS: capabilityVerifyKeys,
    /** Endpoints a new token may be used at (its `aud`). */
    CAPABILITY_TOKEN_AUDIENCE: csv(`${CAPABILITY_AUDIENCES.publisher},${CAPABILITY_AUDIENCES.gateway}`),
    /** How long a result ref's token stays valid; default 7 days (consumers may lag or replay). */
    CAPABILITY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(7 * 24 * 3600),
    MAX_RESULT_BYTES: z.coerce.number().int().min(1).max(64 * 1024 * 1024).default(4 * 1024 * 1024 - 64 * 1024),
    /** Tenancy (GetQuotas: stored_bytes) and how long its answers are cached. */
    ...tenantQuotaConfigFields,
  })
  .refine((c) => c.CAPABILITY_VERIFY_KEYS.keys.some((k) => k.kid === c.CAPABILITY_SIGNING_KEY.kid && k.x === c.CAPABILITY_SIGNING_KEY.x), {
    path: ['CAPABILITY_VERIFY_KEYS'],
    message: "must contain the signing key's public key (same kid and x), or the publisher's own tokens would not verify",
  })
  .refine(s3CredentialsTogether.check, s3CredentialsTogether.issue);

export type PublisherConfig = z.infer<typeof publisherConfigSchema>;
