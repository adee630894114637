import {
  type Metadata,
  ResponderBuilder,
  type ServerInterceptingCallInterface,
  ServerInterceptingCall,
  type ServerInterceptor,
  ServerListenerBuilder,
} from '@grpc/grpc-js';
import { PermissionDeniedError, UnauthenticatedError, ValidationError, type WeaverError } from '@weaver/errors';
import { type AccessRule, GRPC_ACCESS_RULES, accessRuleOf } from './grpc-access.table';
import { grpcErrorOf } from './grpc-error';
import type { GrpcSecurity } from './grpc-security';
import { TENANT_METADATA, tenantInMetadata } from './grpc-tenant';
import { type ServiceIdentity, identityOfSubjectAltName } from './service-identity';

export type AccessDecision = { readonly allowed: true; readonly rule: AccessRule } | { readonly allowed: false; readonly error: WeaverError };

export interface AccessRequest {
  /** grpc-js method path, "/weaver.router.v1.RouterService/Generate". */
  path: string;
  /** The verified identity of the peer's certificate; undefined without a valid one. */
  caller: ServiceIdentity | undefined;
  metadata: Metadata;
  /** GRPC_INSECURE_DEV_ONLY: nobody has an identity, so only the tenant rule applies. */
  insecure: boolean;
}

/**
 * The one authorisation decision of a gRPC call, by the rule table: unknown method → denied;
 * no verified certificate → UNAUTHENTICATED; an identity the rule does not list →
 * PERMISSION_DENIED; a tenant-scoped method without one well-formed tenant in the metadata →
 * INVALID_ARGUMENT. Authorisation comes first, so a stranger learns nothing about the rest.
 */
export function decideAccess(req: AccessRequest, rules = GRPC_ACCESS_RULES): AccessDecision {
  const rule = accessRuleOf(req.path, rules);
  if (!rule) return { allowed: false, error: new PermissionDeniedError(`${req.path} has no access rule: denied by default`, { method: req.path }) };
  if (rule.callers !== 'public' && !req.insecure) {
    if (req.caller === undefined) {
      return { allowed: false, error: new UnauthenticatedError(`${req.path} needs a client certificate signed by the Weaver CA (mutual TLS)`) };
    }
    if (!rule.callers.includes(req.caller)) {
      return { allowed: false, error: new PermissionDeniedError(`${req.caller} may not call ${req.path}`, { method: req.path, caller: req.caller }) };
    }
  }
  if (rule.tenant && tenantInMetadata(req.metadata) === undefined) {
    const violation = { field: `metadata.${TENANT_METADATA}`, rule: 'must be one tenant id (UUID), set by the calling service' };
    return { allowed: false, error: new ValidationError([violation], 'call') };
  }
  return { allowed: true, rule };
}

/** The identity of a call's peer: its TLS certificate's, when the handshake verified it against the CA. */
export function callerOf(call: Pick<ServerInterceptingCallInterface, 'getAuthContext'>): ServiceIdentity | undefined {
  // grpc-js reports a peer certificate only when the socket is `authorized` (signed by our CA).
  return identityOfSubjectAltName(call.getAuthContext().sslPeerCertificate?.subjectaltname);
}

export interface AccessInterceptorOptions {
  rules?: typeof GRPC_ACCESS_RULES;
  /** Called for every refused call (a metric; never logs metadata, which may hold keys). */
  onDenied?: (path: string, error: WeaverError) => void;
}

/**
 * The grpc-js server interceptor that enforces decideAccess on every call of a server before
 * any handler (Nest's included) runs, once per call from the connection's already-verified
 * certificate: no per-call file or crypto work. On allowed calls without a tenant rule the
 * tenant entry is removed, so no handler can read a tenant its caller chose freely.
 */
export function grpcAccessInterceptor(security: GrpcSecurity, options: AccessInterceptorOptions = {}): ServerInterceptor {
  const insecure = security.mode === 'insecure';
  return (method, call) => {
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const decision = decideAccess({ path: method.path, caller: insecure ? undefined : callerOf(call), metadata, insecure }, options.rules);
        if (decision.allowed) {
          if (!decision.rule.tenant) metadata.remove(TENANT_METADATA);
          next(metadata);
          return;
        }
        options.onDenied?.(method.path, decision.error);
        const status = grpcErrorOf(decision.error);
        call.sendStatus({ code: status.code, details: status.details, metadata: status.metadata });
      })
      .build();
    return new ServerInterceptingCall(call, new ResponderBuilder().withStart((next) => next(listener)).build());
  };
}
