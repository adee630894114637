import { bool, z } from '@weaver/config';
import { FilesystemResultStore } from './filesystem-result-store';
import type { ResultStore } from './result-store';
import { S3ResultStore } from './s3-result-store';

/**
 * Where result objects live, as environment fields: one definition for the publisher service
 * and for the operator tools that reach the same objects (export and erasure, tools/privacy).
 */
export const resultStoreConfigFields = {
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
};

export type ResultStoreConfig = z.infer<z.ZodObject<typeof resultStoreConfigFields>>;

/** The rule the fields share across keys (zod `refine` on the whole config). */
export const s3CredentialsTogether = {
  check: (c: Pick<ResultStoreConfig, 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'>) => (c.S3_ACCESS_KEY_ID === undefined) === (c.S3_SECRET_ACCESS_KEY === undefined),
  issue: { path: ['S3_SECRET_ACCESS_KEY'], message: 'set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together, or neither' },
};

/** The configured store, ready to write (the bucket created first when asked to). */
export async function createResultStore(config: ResultStoreConfig): Promise<ResultStore & { destroy?(): void }> {
  if (config.RESULT_STORE === 'filesystem') return new FilesystemResultStore(config.RESULT_STORE_ROOT);
  const store = new S3ResultStore({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    credentials:
      config.S3_ACCESS_KEY_ID !== undefined && config.S3_SECRET_ACCESS_KEY !== undefined
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
  if (config.S3_CREATE_BUCKET) await store.ensureBucket();
  return store;
}
