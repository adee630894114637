import { timingSafeEqual } from 'node:crypto';
import { PermissionDeniedError } from '@weaver/errors';
import type { Principal } from '@weaver/governance';
import { ADMIN_ROLE } from '@weaver/policy';
import type { CredentialThrottle } from '@weaver/tenancy-core';

/** The policy principal of a GATEWAY_ADMIN_TOKEN holder: a platform admin (no tenant, the admin role). */
export const ADMIN_PRINCIPAL: Principal = { type: 'Admin', id: 'admin-token', roles: [ADMIN_ROLE] };

/**
 * The operator's admin token (GATEWAY_ADMIN_TOKEN): checked in constant time, guesses throttled
 * per source address. Holding it makes the caller the Admin principal; what that principal may
 * do is the policy engine's decision (the baseline gives the admin role every admin action).
 */
export class AdminToken {
  constructor(
    private readonly expected: string | undefined,
    private readonly throttle: CredentialThrottle,
  ) {}

  async principalOf(given: string, source: string | undefined): Promise<Principal> {
    const expected = this.expected;
    if (!expected) throw new PermissionDeniedError('admin routes are disabled: set GATEWAY_ADMIN_TOKEN');
    // Guesses are throttled per source address only: a prefix of the admin token means nothing.
    await this.throttle.guard('admin-token', source, undefined, () => {
      const a = Buffer.from(given);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw new PermissionDeniedError('the admin token was refused');
    }, (e: unknown) => e instanceof PermissionDeniedError);
    return ADMIN_PRINCIPAL;
  }
}
