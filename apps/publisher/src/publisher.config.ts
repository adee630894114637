import { bool, csv, port, z } from '@weaver/config';
import { CAPABILITY_AUDIENCES, capabilitySigningKey, capabilityVerifyKeys } from '@weaver/publisher-core';
import { DEFAULT_PORTS, serviceConfigSchema, databaseConfigFields } from '@weaver/service-kit';


/** The publisher service's environment, validated once at start (documented in .env.example). */
export const publisherConfigSchema = serviceConfigSchema
  .extend({
    HTTP_PORT: port(DEFAULT_PORTS.publisher.http),
    GRPC_PORT: port(DEFAULT_PORTS.publisher.grpc),
    ...databaseConfigFields,
    RESULT_STORE: z.enum(['filesystem', 's3']).default('filesystem'),
    /** filesystem store: where results go. */
    RESULT_STORE_ROOT: z.string().min(1).default('.weaver/results'),
    /** s3 store: omit the endpoint for AWS itself. */
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name').default('weaver-results'),
    /** Both or neither; neither → the SDK's default credential chain (env, instance role, ...). */
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Create the bucket at start if missing (local and test servers; production pre-creates it). */
    S3_CREATE_BUCKET: bool(false),
    /** Private Ed25519 JWK that signs capability tokens (every publisher replica the same; see docs/security.md). */
    CAPABILITY_SIGNING_KEY: capabilitySigningKey,
    /** Public JWK Set of every key whose tokens are still accepted (rotation: old and new). */
    CAPABILITY_VERIFY_KEYS: capabilityVerifyKeys,
    /** Endpoints a new token may be used at (its `aud`). */
    CAPABILITY_TOKEN_AUDIENCE: csv(`${CAPABILITY_AUDIENCES.publisher},${CAPABILITY_AUDIENCES.gateway}`),
    /** How long a result ref's token stays valid; default 7 days (consumers may lag or replay). */
    CAPABILITY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(7 * 24 * 3600),
    MAX_RESULT_BYTES: z.coerce.number().int().min(1).max(64 * 1024 * 1024).default(4 * 1024 * 1024 - 64 * 1024),
  })
  .refine((c) => c.CAPABILITY_VERIFY_KEYS.keys.some((k) => k.kid === c.CAPABILITY_SIGNING_KEY.kid && k.x === c.CAPABILITY_SIGNING_KEY.x), {
    path: ['CAPABILITY_VERIFY_KEYS'],
    message: "must contain the signing key's public key (same kid and x), or the publisher's own tokens would not verify",
  })
  .refine((c) => (c.S3_ACCESS_KEY_ID === undefined) === (c.S3_SECRET_ACCESS_KEY === undefined), {
    path: ['S3_SECRET_ACCESS_KEY'],
    message: 'set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither',
  });

export type PublisherConfig = z.infer<typeof publisherConfigSchema>;
