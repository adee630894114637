/**
 * Which Kafka broker the project runs by default, and the per-version facts
 * the tool needs (logging backend, minimum Java).
 *
 * The default is pinned by libs/messaging/test/kafka-compat.int-spec.ts run
 * against kafkajs 2.2.4; see tools/kafka/README.md for the evidence before
 * changing it. Keep tools/kafka/pom.xml's <kafka.version> in sync.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

export type LoggingFlavor = 'reload4j' | 'log4j2';

/** Parses "4.1.0" → 4; throws on anything that is not a Kafka release number. */
export function kafkaMajor(version: string): number {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match?.[1]) {
    throw new Error(`not a Kafka version: "${version}" (expected e.g. ${DEFAULT_KAFKA_VERSION})`);
  }
  return Number(match[1]);
}

/** Kafka 4.0 replaced log4j 1 (reload4j) with log4j 2. */
export function loggingFlavor(version: string): LoggingFlavor {
  return kafkaMajor(version) >= 4 ? 'log4j2' : 'reload4j';
}

/** Kafka 4.x brokers require Java 17; 3.x brokers run on 11+ (8 is deprecated). */
export function minimumJava(version: string): number {
  return kafkaMajor(version) >= 4 ? 17 : 11;
}

/** `--standalone` (dynamic KRaft quorum) exists from 3.9, which is our floor. */
export function assertSupported(version: string): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 9)) {
    throw new Error(`Kafka ${version} is not supported by tools/kafka: 3.9.0 or newer is required`);
  }
}
