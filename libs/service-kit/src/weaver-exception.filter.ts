import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@weaver/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, throwError } from 'rxjs';
import { grpcErrorOf } from './grpc-error';
import { httpErrorOf } from './http-error';
import type { HttpErrorRenderer } from './http-error-renderer';

/**
 * The one place errors leave a service: WeaverError → HTTP status + JSON body, or → gRPC
 * status + message (+ trailers with the exact Weaver code and details). One filter for both
 * transports, because Nest picks the first matching filter regardless of transport.
 * Unexpected errors are logged with their stack here and reach the caller as "internal error".
 */
@Catch()
export class WeaverExceptionFilter implements ExceptionFilter {
  /** `clientFacingGrpc`: the service's gRPC answers outside callers (the gateway), so its server-side errors go out as public errors too. */
  constructor(
    private readonly log: Logger,
    private readonly clientFacingGrpc = false,
    /** The app's own shape for some HTTP paths (HTTP_ERROR_RENDERER), if it has one. */
    private readonly render?: HttpErrorRenderer,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // One id per failure, in the answer and in the log line with the whole error.
    const correlationId = randomUUID();
    if (host.getType() === 'rpc') {
      const { internal, ...status } = grpcErrorOf(exception, this.clientFacingGrpc ? correlationId : undefined);
      if (internal) this.log.error({ err: exception, correlationId }, 'gRPC handler failed');
      return throwError(() => status);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const own = this.render?.(exception, host.switchToHttp().getRequest<FastifyRequest>().url, correlationId);
    if (own) {
      if (own.internal) this.log.error({ err: exception, correlationId }, 'HTTP handler failed');
      void reply.status(own.status).headers(own.headers ?? {}).type('application/json').send(own.body);
      return;
    }
    const { status, body, internal } = httpErrorOf(exception, correlationId);
    if (internal) this.log.error({ err: exception, correlationId }, 'HTTP handler failed');
    // Quota and throttle refusals say when to come back (RFC 9110 Retry-After, in seconds).
    const retryAfter = body.error.details['retryAfterSeconds'];
    if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) void reply.header('retry-after', String(Math.ceil(retryAfter)));
    void reply.status(status).type('application/json').send(body);
  }
}
