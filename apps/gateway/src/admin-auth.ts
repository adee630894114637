import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { PermissionDeniedError, UnauthenticatedError } from '@weaver/errors';
import { SERVICE_CONFIG } from '@weaver/service-kit';
import { CredentialThrottle } from './credential-throttle';
import type { GatewayConfig } from './gateway.config';

/**
 * The admin routes' authentication, in one place for every admin controller: the
 * `x-admin-token` header against GATEWAY_ADMIN_TOKEN (constant-time), guesses throttled per
 * source. Each route calls `require(req)` in one line, so swapping it for a policy decision
 * changes this class, not the routes.
 */
@Injectable()
export class AdminAuth {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(CredentialThrottle) private readonly throttle: CredentialThrottle,
  ) {}

  /** The admin principal's id, for audit entries ("admin-token": the one shared operator token). */
  async require(req: FastifyRequest): Promise<string> {
    const expected = this.config.GATEWAY_ADMIN_TOKEN;
    if (!expected) throw new PermissionDeniedError('admin routes are disabled: set GATEWAY_ADMIN_TOKEN');
    const given = req.headers['x-admin-token'];
    if (typeof given !== 'string') throw new UnauthenticatedError('the x-admin-token header is required');
    // Guesses are throttled per source address only: a prefix of the admin token means nothing.
    await this.throttle.guard('admin-token', req.ip, undefined, () => {
      const a = Buffer.from(given);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw new PermissionDeniedError('the admin token was refused');
    }, (e: unknown) => e instanceof PermissionDeniedError);
    return 'admin-token';
  }
}
