import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@weaver/observability';
import type { KafkaSecurity } from '../kafka-config';
import { saslOptions, tlsOptions } from './security';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /** TLS and SASL (from `kafkaSecurityOf(config)`); unset: plaintext, no authentication (local broker). */
  security?: KafkaSecurity;
}

/** The vendor client of each connection, kept off the class so its type never shows outside. */
const clients = new WeakMap<KafkaConnection, Kafka>();

/**
 * Weaver's handle on a Kafka cluster: what services and tests pass around (to `EosProcessor`,
 * `EventProducer`, readers, replay, provisioning). The vendor client (kafkajs) stays inside
 * libs/messaging/src/kafka; nothing outside this library sees its types, so the client can be
 * swapped behind the same transport.
 */
export class KafkaConnection {
  constructor(private readonly opts: Readonly<KafkaClientOptions>) {
    const client = new Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      ...(opts.security?.tls ? { ssl: tlsOptions(opts.security) } : {}),
      ...(opts.security?.sasl ? { sasl: saslOptions(opts.security) } : {}),
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 100, retries: 8 },
      logCreator: () => (entry: LogEntry) => forward(opts.logger, entry),
    });
    clients.set(this, client);
  }

  get brokers(): readonly string[] {
    return this.opts.brokers;
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  /** How it connects (mechanism, user, TLS), for logs and errors; never a secret. */
  get security(): KafkaSecurity | undefined {
    return this.opts.security;
  }
}


/** A connection whose client logs through Weaver's structured logger (warn and up). */
export function createKafka(opts: KafkaClientOptions): KafkaConnection {
  return new KafkaConnection(opts);
}

/** The kafkajs client behind a connection: for libs/messaging's own code, not exported from its index. */
export function kafkaClient(connection: KafkaConnection): Kafka {
  const client = clients.get(connection);
  if (!client) throw new TypeError('not a KafkaConnection made by createKafka');
  return client;
}

function forward(log: Logger | undefined, entry: LogEntry): void {
  if (!log || isExpectedNoise(entry)) return;
  const { message, ...rest } = entry.log;
  const fields = { kafka: entry.namespace, ...rest };
  if (entry.level <= logLevel.ERROR) log.error(fields, message);
  else log.warn(fields, message);
}

/**
 * kafkajs logs these at warn/error although they are expected: the broker answers
 * CONCURRENT_TRANSACTIONS while the previous transaction's markers are being written (kafkajs
 * retries it), and an idempotent producer with bounded retries triggers an advisory.
 */
function isExpectedNoise(entry: LogEntry): boolean {
  const text = `${entry.log.message} ${String(entry.log['error'] ?? '')}`;
  return (
    text.includes('another concurrent operation on the same transaction') ||
    text.includes('Limiting retries for the idempotent producer') ||
    text.includes('coordinator is loading') ||
    text.includes('group coordinator is not available')
  );
}
