import { FilesystemResultStore, S3ResultStore, type ResultStore } from '@weaver/publisher-core';

import type { PublisherConfig } from './publisher.config';

/** The configured store, ready to write (the bucket created first when asked to). */
export async function createResultStore(config: PublisherConfig): Promise<ResultStore & { destroy?(): void }> {
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
