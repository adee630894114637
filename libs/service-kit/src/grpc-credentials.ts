import { type ChannelCredentials, ServerCredentials, type ServerInterceptor, credentials, experimental } from '@grpc/grpc-js';
import type { GrpcSecurity, MutualTls } from './grpc-security';
import { type ServiceIdentity, identityOfSubjectAltName, spiffeIdOf } from './service-identity';

/**
 * Server credentials: TLS with this service's certificate, asking every client for one and
 * verifying it against the Weaver CA, plus the access interceptor. A client without a valid
 * certificate still completes the handshake (encrypted) but every non-public call is refused
 * by the interceptor with UNAUTHENTICATED: a clear status instead of a bare connection reset.
 */
export function grpcServerCredentials(security: GrpcSecurity, access: ServerInterceptor): ServerCredentials {
  if (security.mode === 'insecure') return experimental.createServerCredentialsWithInterceptors(ServerCredentials.createInsecure(), [access]);
  const material = loadedOnce(security);
  // requireClientCertificate=false: request a certificate, verify it, but let the interceptor refuse.
  // One provider as both identity and CA source (grpc-js names the two parameters inconsistently).
  const tls = experimental.createCertificateProviderServerCredentials(material, material, false);
  return experimental.createServerCredentialsWithInterceptors(tls, [access]);
}

/**
 * Client credentials towards the service `server`: this service's certificate as the client
 * identity, and the server must present a certificate from the Weaver CA naming `server`
 * (spiffe://weaver/<server>), whatever host name or IP the URL has. One per channel; the
 * handshake happens per connection, not per call.
 */
export function grpcChannelCredentials(security: GrpcSecurity, server: ServiceIdentity): ChannelCredentials {
  if (security.mode === 'insecure') return credentials.createInsecure();
  return credentials.createSsl(security.ca, security.key, security.cert, {
    checkServerIdentity: (_host, cert) => {
      const named = identityOfSubjectAltName(cert.subjectaltname);
      return named === server ? undefined : new Error(`expected the server ${spiffeIdOf(server)}, it presented ${named ? spiffeIdOf(named) : 'no Weaver identity'}`);
    },
  });
}

/**
 * The material read at start, handed to grpc-js as a certificate provider (the hook a
 * reloading provider would use). Listeners are answered on the next microtask, not inside
 * add*Listener: grpc-js registers the server's watcher only after adding its listeners, so a
 * synchronous answer would be lost and the server would drop every connection.
 */
function loadedOnce(tls: MutualTls): experimental.CertificateProvider {
  return {
    addCaCertificateListener: (listener) => queueMicrotask(() => listener({ caCertificate: tls.ca })),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (listener) => queueMicrotask(() => listener({ certificate: tls.cert, privateKey: tls.key })),
    removeIdentityCertificateListener: () => undefined,
  };
}
