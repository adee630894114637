import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@weaver/observability';

export type { Kafka } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
}

/** A kafkajs client whose own log lines go through Weaver's structured logger (warn and up). */
export function createKafka(opts: KafkaClientOptions): Kafka {
  const log = opts.logger;
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 8 },
    logCreator: () => (entry: LogEntry) => {
      if (!log || isExpectedNoise(entry)) return;
      const { message, ...rest } = entry.log;
      const fields = { kafka: entry.namespace, ...rest };
      if (entry.level <= logLevel.ERROR) log.error(fields, message);
      else log.warn(fields, message);
    },
  });
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
