import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { PermissionDeniedError, UnauthenticatedError } from '@weaver/errors';
import type { CredentialThrottle } from './credential-throttle';

/**
 * The operator check of the admin routes as AdminHttpController.requireAdmin does it (the
 * `x-admin-token` header against GATEWAY_ADMIN_TOKEN, compared in constant time, failures
 * throttled per source address), as a function for controllers outside that file. Callers use
 * it in one line, so the policy-engine decision replacing it is a one-line swap per route.
 */
export async function requireAdminToken(expected: string | undefined, throttle: CredentialThrottle, req: FastifyRequest): Promise<void> {
  if (!expected) throw new PermissionDeniedError('admin routes are disabled: set GATEWAY_ADMIN_TOKEN');
  const given = req.headers['x-admin-token'];
  if (typeof given !== 'string') throw new UnauthenticatedError('the x-admin-token header is required');
  // Guesses are throttled per source address only: a prefix of the admin token means nothing.
  await throttle.guard('admin-token', req.ip, undefined, () => {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new PermissionDeniedError('the admin token was refused');
  }, (e: unknown) => e instanceof PermissionDeniedError);
}
