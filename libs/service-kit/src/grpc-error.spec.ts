import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import {
  ConfigError,
  NotFoundError,
  PermissionDeniedError,
  UnavailableError,
  ValidationError,
  WeaverError,
} from '@weaver/errors';
import { grpcErrorOf, weaverErrorFromGrpc } from './grpc-error';

/** What a grpc-js client receives for the status a server sent. */
function received(status: { code: number; details: string; metadata: Metadata }): ServiceError {
  return Object.assign(new Error(`${status.code} ${status.details}`), status);
}

function overTheWire(err: unknown): WeaverError {
  const { code, details, metadata } = grpcErrorOf(err);
  return weaverErrorFromGrpc(received({ code, details, metadata }));
}

describe('gRPC error mapping', () => {
  it('sends a WeaverError as its gRPC status and message', () => {
    const status = grpcErrorOf(new NotFoundError('tenant', 't-1'));
    expect(status).toMatchObject({ code: 5, message: 'tenant t-1 not found', internal: false });
  });

  it('brings a not-found back as NotFoundError with message and details', () => {
    const err = overTheWire(new NotFoundError('tenant', 't-1'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('tenant t-1 not found');
    expect(err.details).toEqual({ resource: 'tenant', id: 't-1' });
  });

  it('keeps the field violations of a validation error', () => {
    const err = overTheWire(new ValidationError([{ field: 'name', rule: 'must not be empty' }], 'CreateTenantRequest'));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe('CreateTenantRequest is invalid: name: must not be empty');
    expect((err as ValidationError).violations).toEqual([{ field: 'name', rule: 'must not be empty' }]);
  });

  it('tells codes that share a gRPC status apart (CONFIG_INVALID and INVALID_ARGUMENT are both 3)', () => {
    const sent = new ConfigError('environment', [{ field: 'HTTP_PORT', rule: 'must be a number' }]);
    expect(grpcErrorOf(sent).code).toBe(3);
    expect(overTheWire(sent).code).toBe('CONFIG_INVALID');
  });

  it('keeps message and details of a permission error and the retriable flag', () => {
    const err = overTheWire(new PermissionDeniedError('classification pii not allowed', { label: 'pii' }));
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.details).toEqual({ label: 'pii' });
    expect(err.retriable).toBe(false);
  });

  it('hides unexpected errors behind INTERNAL "internal error"', () => {
    const status = grpcErrorOf(new TypeError('cannot read properties of undefined (secret path)'));
    expect(status).toMatchObject({ code: 13, message: 'internal error', internal: true });
  });

  it('passes an explicit RpcException status through', () => {
    expect(grpcErrorOf(new RpcException({ code: 12, message: 'not implemented' }))).toMatchObject({ code: 12, message: 'not implemented' });
  });

  it('maps a transport failure without Weaver trailers by its status (14 → retriable UnavailableError)', () => {
    const err = weaverErrorFromGrpc(received({ code: 14, details: 'No connection established', metadata: new Metadata() }));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.retriable).toBe(true);
    expect(err.message).toBe('No connection established');
  });
});
