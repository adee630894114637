import { ValidationError, type FieldViolation } from '@weaver/errors';
import { isUuid } from '@weaver/persistence';

/** Which result: the idempotency key of a step's output. */
export interface ResultKey {
  readonly tenantId: string;
  readonly runId: string;
  readonly step: string;
}

// Safe as one path segment on every filesystem and in an S3 key: no "/", no leading dot.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SEGMENT_RULE = 'must be 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit';

export function keyViolations(key: { tenantId: string; runId: string; step: string }): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!isUuid(key.tenantId)) violations.push({ field: 'tenant_id', rule: 'must be a UUID' });
  if (!SEGMENT.test(key.runId)) violations.push({ field: 'run_id', rule: SEGMENT_RULE });
  if (!SEGMENT.test(key.step)) violations.push({ field: 'step', rule: SEGMENT_RULE });
  return violations;
}

/** The object's key in any store: `tenants/<tenant>/runs/<run>/<step>`. */
export function objectKeyOf(key: ResultKey): string {
  return `tenants/${key.tenantId.toLowerCase()}/runs/${key.runId}/${key.step}`;
}

const URI_PREFIX = 'weaver://results/';

/** The store-independent address handed to consumers: `weaver://results/<tenant>/<run>/<step>`. */
export function resultUriOf(key: ResultKey): string {
  return `${URI_PREFIX}${key.tenantId.toLowerCase()}/${key.runId}/${key.step}`;
}

export function parseResultUri(uri: string): ResultKey {
  const parts = typeof uri === 'string' && uri.startsWith(URI_PREFIX) ? uri.slice(URI_PREFIX.length).split('/') : [];
  const [tenantId = '', runId = '', step = ''] = parts;
  if (parts.length !== 3 || keyViolations({ tenantId, runId, step }).length > 0) {
    throw new ValidationError([{ field: 'uri', rule: 'must be weaver://results/<tenant>/<run>/<step>' }]);
  }
  return { tenantId: tenantId.toLowerCase(), runId, step };
}
