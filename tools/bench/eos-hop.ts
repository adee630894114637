/**
 * Benchmark: raw kafkajs produce→consume vs Weaver's exactly-once agent hop, on one broker.
 *   npx tsx tools/bench/eos-hop.ts [--events 50000] [--rate 500] [--seconds 20]
 * Prints: raw events/s, EOS hop events/s, their ratio, and hop latency p50/p99 at a fixed
 * offered rate. Starts its own broker (tools/kafka) unless WEAVER_BENCH_BROKERS is set.
 */
import { randomUUID } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createLogger, Metrics } from '../../libs/observability/src';
import { createKafka, EosProcessor, provisionTopics, topicSpec, type KafkaConnection } from '../../libs/messaging/src';
import { startBroker } from '../kafka/src/broker';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 50_000);
const RATE = arg('rate', 500);
const SECONDS = arg('seconds', 20);
const PARTITIONS = 6;
const payload = Buffer.alloc(512, 'x');
const logger = createLogger('bench', { level: 'error' });
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function produceAll(kafka: Kafka, topic: string, n: number, stamp = false): Promise<void> {
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < n; i += 1_000) {
    const messages = Array.from({ length: Math.min(1_000, n - i) }, (_, j) => ({ key: `run-${(i + j) % 997}`, value: payload, headers: stamp ? { sent: String(Date.now()) } : undefined }));
    await producer.send({ topic, messages, acks: -1 });
  }
  await producer.disconnect();
}

/** Counts records on a topic (read-committed) until `n` arrived; returns the arrival time. */
async function countUntil(kafka: Kafka, topic: string, n: number, onRecord?: (headers: Record<string, unknown>) => void): Promise<() => Promise<number>> {
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let resolve!: (t: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) onRecord?.(m.headers ?? {});
      seen += batch.messages.length;
      if (seen >= n) resolve(Date.now());
    },
  });
  return async () => {
    const t = await done;
    await consumer.disconnect();
    return t;
  };
}

async function raw(kafka: Kafka, connection: KafkaConnection): Promise<number> {
  const topic = `bench.raw.${randomUUID().slice(0, 8)}`;
  await provisionTopics(connection, [topicSpec(topic, PARTITIONS)]);
  const wait = await countUntil(kafka, topic, EVENTS);
  const t0 = Date.now();
  await produceAll(kafka, topic, EVENTS);
  const t1 = await wait();
  return EVENTS / ((t1 - t0) / 1000);
}

async function hop(kafka: Kafka, connection: KafkaConnection, metrics: Metrics): Promise<number> {
  const id = randomUUID().slice(0, 8);
  const [input, output] = [`bench.in.${id}`, `bench.out.${id}`];
  await provisionTopics(connection, [topicSpec(input, PARTITIONS), topicSpec(output, PARTITIONS)]);
  await produceAll(kafka, input, EVENTS);
  const wait = await countUntil(kafka, output, EVENTS);
  const processor = new EosProcessor({ kafka: connection, group: `bench-${id}`, topics: [input], logger, metrics, handler: async (r) => [{ topic: output, key: r.key, value: r.value }] });
  const t0 = Date.now();
  await processor.start();
  const t1 = await wait();
  await processor.stop();
  return EVENTS / ((t1 - t0) / 1000);
}

async function latency(kafka: Kafka, connection: KafkaConnection, metrics: Metrics): Promise<{ p50: number; p99: number; n: number }> {
  const id = randomUUID().slice(0, 8);
  const [input, output] = [`bench.lat-in.${id}`, `bench.lat-out.${id}`];
  await provisionTopics(connection, [topicSpec(input, PARTITIONS), topicSpec(output, PARTITIONS)]);
  const processor = new EosProcessor({ kafka: connection, group: `bench-lat-${id}`, topics: [input], logger, metrics, handler: async (r) => [{ topic: output, key: r.key, value: r.value, headers: r.headers }] });
  await processor.start();
  const total = RATE * SECONDS;
  const samples: number[] = [];
  const wait = await countUntil(kafka, output, total, (h) => samples.push(Date.now() - Number(String(h['sent']))));
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const tick = 20; // ms: send RATE/50 records every 20 ms
  const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
  const start = Date.now();
  for (let sent = 0; sent < total; ) {
    const batch = Math.min(perTick, total - sent);
    await producer.send({ topic: input, messages: Array.from({ length: batch }, (_, j) => ({ key: `run-${(sent + j) % 997}`, value: payload, headers: { sent: String(Date.now()) } })) });
    sent += batch;
    const due = start + (sent / RATE) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  await producer.disconnect();
  await wait();
  await processor.stop();
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), n: samples.length };
}

async function main(): Promise<void> {
  let brokers = process.env['WEAVER_BENCH_BROKERS'];
  let stop: (() => Promise<void>) | undefined;
  if (!brokers) {
    const b = await startBroker({ dataDir: join(tmpdir(), `weaver-bench-${process.pid}`), port: 29592, onProgress: () => undefined });
    brokers = b.brokers;
    stop = () => b.stop();
  }
  const kafka = new Kafka({ clientId: 'bench', brokers: [brokers], logLevel: logLevel.NOTHING });
  const connection = createKafka({ clientId: 'bench', brokers: [brokers] });
  const metrics = new Metrics('bench');
  say(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; broker ${brokers}; ${PARTITIONS} partitions, 512-byte records`);
  const rawRate = await raw(kafka, connection);
  say(`raw kafkajs produce→consume:        ${rawRate.toFixed(0)} events/s (${EVENTS} events)`);
  const hopRate = await hop(kafka, connection, metrics);
  say(`Weaver exactly-once agent hop:      ${hopRate.toFixed(0)} events/s (${EVENTS} events, consume→transform→produce+commit)`);
  say(`ratio (EOS hop / raw):              ${(hopRate / rawRate).toFixed(2)}`);
  const lat = await latency(kafka, connection, metrics);
  say(`hop latency at ${RATE} events/s offered: p50 ${lat.p50} ms, p99 ${lat.p99} ms (${lat.n} events, produce → committed output visible)`);
  await stop?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
