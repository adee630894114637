import { FailedPreconditionError } from '@weaver/errors';
import type { PiiType } from './pii-span';

/**
 * The tenant's policy refuses text holding these entity types. The message and details name the
 * types and counts only, never the values: this error travels to clients and logs.
 */
export class PiiRefusedError extends FailedPreconditionError {
  constructor(readonly refused: ReadonlyArray<{ type: PiiType; count: number }>) {
    super(`the tenant's PII policy refuses text containing ${refused.map((r) => `${r.type} (${r.count})`).join(', ')}`, {
      reason: 'PII_REFUSED',
      refused: refused.map((r) => ({ type: r.type, count: r.count })),
    });
  }
}
