import { KafkaJSSASLAuthenticationError } from 'kafkajs';
import { PermissionDeniedError, UnauthenticatedError, UnavailableError, type WeaverError } from '@weaver/errors';
import type { Logger } from '@weaver/observability';
import { describeSecurity, kafkaSecurityOf, type KafkaConfig } from '../kafka-config';
import { createKafka, kafkaClient, type KafkaConnection } from './connection';

/** Node's codes for a broker certificate that does not verify against the configured CA or name. */
const TLS_TRUST_CODES = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown; originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * A Kafka failure as a typed error a person can act on: wrong credentials, an untrusted broker
 * certificate and missing ACL rights each say so, naming the brokers and how we connected.
 */
export function explainKafkaError(connection: KafkaConnection, error: unknown): WeaverError {
  const where = `Kafka at ${connection.brokers.join(',')} (${describeSecurity(connection.security)})`;
  const chain = causes(error);
  const sasl = chain.find((e) => e instanceof KafkaJSSASLAuthenticationError);
  if (sasl) return new UnauthenticatedError(`${where} refused the credentials: ${(sasl as Error).message}`);
  const tls = chain.find((e) => TLS_TRUST_CODES.has(String((e as { code?: unknown }).code)));
  if (tls) return new UnavailableError(`${where}: the broker's TLS certificate is not trusted (${String((tls as { code?: unknown }).code)}): check KAFKA_TLS_CA_FILE and KAFKA_TLS_SERVERNAME`, { cause: error });
  const denied = chain.find((e) => /AUTHORIZATION_FAILED/.test(String((e as { type?: unknown }).type)));
  if (denied) return new PermissionDeniedError(`${where}: ${String((denied as { type?: unknown }).type)} — the principal lacks an ACL for this operation`);
  return new UnavailableError(`${where} is not reachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * Connects once and asks for the cluster's metadata, so a service with wrong credentials, an
 * untrusted certificate or an unreachable cluster stops at start with that reason instead of
 * retrying forever inside its consumers.
 */
export async function checkKafkaConnection(connection: KafkaConnection): Promise<void> {
  const admin = kafkaClient(connection).admin({ retry: { retries: 2 } });
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw explainKafkaError(connection, error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A service's Kafka connection, the one way every app opens it: the client id names the
 * service and process, TLS/SASL come from its validated KAFKA_* config, and it is checked once
 * at start (checkKafkaConnection), so wrong credentials or an untrusted broker certificate stop
 * the service with that reason.
 */
export async function connectServiceKafka(config: KafkaConfig, service: string, logger?: Logger): Promise<KafkaConnection> {
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `weaver-${service}-${process.pid}`, logger, security: kafkaSecurityOf(config) });
  await checkKafkaConnection(kafka);
  return kafka;
}
