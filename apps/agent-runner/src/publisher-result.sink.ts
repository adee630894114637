import type { publisher } from '@weaver/contracts';
import type { ResultSink } from '@weaver/agent-runtime';
import { tenantMetadata, unary } from '@weaver/service-kit';

/** Final results go to the publisher, idempotent by (tenant, run, step). */
export function publisherSink(client: publisher.PublisherServiceClient): ResultSink {
  return {
    put: async ({ tenantId, runId, step, data, classification, subjectId }) => {
      const res = await unary(
        // The publisher takes the tenant from the metadata (vouched for by this runner's certificate).
        client.putResult({ tenantId, runId, step, contentType: 'application/json', data: Buffer.from(JSON.stringify(data ?? null), 'utf8'), classification, subjectId: subjectId ?? '' }, tenantMetadata(tenantId)),
      );
      return { uri: res.ref?.uri ?? '' };
    },
  };
}
