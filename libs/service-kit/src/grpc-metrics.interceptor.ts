import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Metrics } from '@weaver/observability';
import { type Observable, tap } from 'rxjs';
import { grpcErrorOf } from './grpc-error';

const STATUS_NAMES: Record<number, string> = {
  0: 'OK', 1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS', 7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED',
  11: 'OUT_OF_RANGE', 12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};

/**
 * Counts gRPC calls and their duration by method and status code. Errors are seen here before
 * the exception filter turns them into a status, so the status is computed the same way.
 * Streaming calls are measured until the stream ends.
 */
@Injectable()
export class GrpcMetricsInterceptor implements NestInterceptor {
  private readonly calls;
  private readonly duration;

  constructor(metrics: Metrics) {
    this.calls = metrics.counter('grpc_server_calls_total', 'gRPC calls handled, by method and status', ['method', 'code'] as const);
    this.duration = metrics.histogram('grpc_server_call_duration_seconds', 'gRPC call duration, by method and status', [
      'method',
      'code',
    ] as const);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const method = methodOf(context);
    const started = process.hrtime.bigint();
    const record = (code: string): void => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.calls.inc({ method, code });
      this.duration.observe({ method, code }, seconds);
    };
    return next.handle().pipe(
      tap({ complete: () => record('OK'), error: (err: unknown) => record(STATUS_NAMES[grpcErrorOf(err).code] ?? 'UNKNOWN') }),
    );
  }
}

/** "/weaver.tenancy.v1.TenancyService/GetTenant" from the grpc-js call, else Class.handler. */
function methodOf(context: ExecutionContext): string {
  // Nest's gRPC handler arguments are (request, metadata, call).
  const candidate = context.getArgs<unknown[]>()[2];
  if (typeof candidate === 'object' && candidate !== null && 'getPath' in candidate && typeof candidate.getPath === 'function') {
    const path: unknown = candidate.getPath();
    if (typeof path === 'string') return path;
  }
  return `${context.getClass().name}.${context.getHandler().name}`;
}
