import { connect, createServer } from 'node:net';

import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/** TLS and SASL for probing a secured broker (as its admin user). */
export type ProbeAuth = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when we could bind 127.0.0.1:port ourselves, i.e. the broker will be able to. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.close(() => resolvePromise(true));
    });
  });
}

/**
 * A TCP accept only proves the socket is bound; the broker may still be
 * catching up on metadata. describeCluster succeeding with our node listed
 * means the broker is registered and answering Kafka requests.
 */
export async function servesKafka(brokers: string, timeoutMs = 3000, auth: ProbeAuth = {}): Promise<boolean> {
  const kafka = new Kafka({
    ...auth,
    clientId: 'weaver-kafka-readiness',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 1000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

/**
 * The first group-coordinator lookup on a fresh broker creates
 * __consumer_offsets, and until that finishes every group call answers
 * NOT_COORDINATOR — which kafkajs admin.fetchOffsets does not retry. Doing
 * that lookup here, once, makes "started" mean "groups work" for callers.
 */
export async function warmGroupCoordinator(brokers: string, deadline: number, auth: ProbeAuth = {}): Promise<void> {
  const kafka = new Kafka({ ...auth, clientId: 'weaver-kafka-readiness', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    for (;;) {
      try {
        await admin.fetchOffsets({ groupId: 'weaver-kafka-readiness', topics: [] });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(300);
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
