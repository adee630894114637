import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_ROOT, type GrpcServiceDescriptor } from '@weaver/contracts';
import { join } from 'node:path';
import { GRPC_LOADER_OPTIONS } from './grpc-options';

/** The apps that serve gRPC: GRPC_SERVICES' keys less those served by another app. */
export type ServingApp = Exclude<keyof typeof GRPC_SERVICES, 'audit' | 'policy' | 'runAdmin' | 'gatewayAdmin'>;

/** One method of a Weaver gRPC service, as proto-loader reads it from the protos. */
export interface ProtoMethod {
  /** grpc-js path, e.g. "/weaver.tenancy.v1.TenancyService/CreateApiKey" (the key of GRPC_ACCESS_RULES). */
  readonly path: string;
  /** Which app serves it (also the identity its server presents). */
  readonly service: ServingApp;
  /** The proto method name, e.g. "CreateApiKey". */
  readonly name: string;
  readonly definition: MethodDefinition<object, object>;
}

/**
 * Every method of every Weaver gRPC service, read from the protos (not from a hand-kept list):
 * the access table's unit test and the cross-tenant attack matrix (e2e) both enumerate these,
 * so a new proto method fails both until it has a rule and a matrix entry.
 */
export function protoMethods(): ProtoMethod[] {
  return (Object.entries(GRPC_SERVICES) as Array<[keyof typeof GRPC_SERVICES, (typeof GRPC_SERVICES)[keyof typeof GRPC_SERVICES]]>).flatMap(([service, s]) => {
    const definition = loadSync(join(PROTO_ROOT, s.protoFile), GRPC_LOADER_OPTIONS);
    const methods = definition[`${s.package}.${s.serviceName}`] as unknown as Record<string, MethodDefinition<object, object>>;
    // The serving app (AuditService is served by tenancy), which is also the identity it presents.
    const server = ((s as GrpcServiceDescriptor).servedBy ?? service) as ServingApp;
    return Object.entries(methods).map(([name, m]) => ({ path: m.path, service: server, name, definition: m }));
  });
}

/** The grpc-js paths of protoMethods(). */
export function protoMethodPaths(): string[] {
  return protoMethods().map((m) => m.path);
}
