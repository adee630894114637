import { UnauthenticatedError } from '@weaver/errors';
import { CAPABILITY_AUDIENCES, RESULT_READ, resultUriOf, type CapabilityTokens } from '@weaver/publisher-core';
import type { RunAccessCheck, RunService } from '@weaver/run-api';

/** `authorization: Capability <token>`: a capability token instead of an API key. */
export function capabilityFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['authorization'];
  return typeof auth === 'string' && auth.startsWith('Capability ') ? auth.slice('Capability '.length).trim() : undefined;
}

/**
 * The gateway's result endpoint for holders of a capability token (no API key): the token is
 * checked by the same `CapabilityTokens.verify` the publisher's GetResult uses, at this
 * endpoint's audience; the tenant is the token's, and the run must have recorded the token's
 * result. The gateway holds only public keys, so it can check tokens but never mint one.
 */
export class ResultGrants {
  constructor(
    private readonly tokens: CapabilityTokens | undefined,
    private readonly runs: RunService,
  ) {}

  /** `access`: the policy decision on the run (the guard's, as the token's Service principal). */
  async read(token: string, runId: string, access?: RunAccessCheck): Promise<unknown> {
    if (!this.tokens) throw new UnauthenticatedError('capability tokens are not accepted by this gateway (CAPABILITY_VERIFY_KEYS is unset); use an API key');
    // Which step is the run's result is the run's record, checked by RunService.result.
    const claims = await this.tokens.verify(token, { audience: CAPABILITY_AUDIENCES.gateway, purpose: RESULT_READ, result: { runId } });
    return this.runs.result(claims.tenantId, runId, resultUriOf(claims), access);
  }
}
