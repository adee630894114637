import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import type { KafkaSecurity } from '../kafka-config';
import { readConfigFile, secretValue } from './config-files';
import { oauthBearerProvider } from './oauth-token';

/** kafkajs' `ssl` option: CA, client certificate and server name, read once when the connection is made. */
export function tlsOptions(security: KafkaSecurity | undefined): ConnectionOptions | undefined {
  const tls = security?.tls;
  if (!tls) return undefined;
  return {
    ...(tls.caFile ? { ca: readConfigFile(tls.caFile, 'KAFKA_TLS_CA_FILE') } : {}),
    ...(tls.certFile ? { cert: readConfigFile(tls.certFile, 'KAFKA_TLS_CERT_FILE') } : {}),
    ...(tls.keyFile ? { key: readConfigFile(tls.keyFile, 'KAFKA_TLS_KEY_FILE') } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
    // Hostname checks stay on (Node's default): a broker must present a certificate for its name.
    rejectUnauthorized: true,
  };
}

/** kafkajs' `sasl` option. Passwords are read once; OAuth tokens at every (re)authentication. */
export function saslOptions(security: KafkaSecurity | undefined): SASLOptions | undefined {
  const sasl = security?.sasl;
  if (!sasl) return undefined;
  if (sasl.mechanism === 'oauthbearer') return { mechanism: 'oauthbearer', oauthBearerProvider: oauthBearerProvider(sasl.token) };
  return { mechanism: sasl.mechanism, username: sasl.username, password: secretValue(sasl.password, 'KAFKA_SASL_PASSWORD') };
}
