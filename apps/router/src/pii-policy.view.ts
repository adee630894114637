import type { router } from '@weaver/contracts';
import type { TenantPiiPolicy } from '@weaver/model-router';

/** A tenant's PII policy on the wire (policies travel as JSON text: their keys are entity types). */
export const piiPolicyMessage = (p: TenantPiiPolicy): router.PiiPolicy => ({
  effectiveJson: JSON.stringify(p.policy),
  storedJson: p.stored ? JSON.stringify(p.stored) : '',
  source: p.source,
  version: p.version,
  updatedAtMs: p.updatedAt?.getTime() ?? 0,
});
