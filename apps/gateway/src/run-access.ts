import { FailedPreconditionError } from '@weaver/errors';
import type { RunAccessCheck } from '@weaver/run-api';

/**
 * The deferred decision of a `decidedWithRun` route: the guard leaves it on the request (the
 * Fastify request, or the gRPC call's metadata) and the handler passes it to RunService, which
 * calls it with the run it read — one read, and the decision sees the run's classification and
 * workflow. A WeakMap: nothing outlives the request.
 */
const pending = new WeakMap<object, RunAccessCheck>();

export function setRunAccess(carrier: object, check: RunAccessCheck): void {
  pending.set(carrier, check);
}

/** The check the guard left; fails closed when there is none (a route the guard did not decide). */
export function runAccessOf(carrier: object | undefined): RunAccessCheck {
  const check = carrier && pending.get(carrier);
  if (!check) throw new FailedPreconditionError('this request was not authorised by the gateway policy guard');
  return check;
}
