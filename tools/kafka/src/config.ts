import { join } from 'node:path';

import type { LoggingFlavor } from './versions';

export interface ServerConfigInput {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDirs: string;
  /** Secured mode (`securedSettings`): replaces the plaintext listener lines, adds TLS, SASL and ACLs. */
  readonly secured?: ReadonlyArray<readonly [string, string | number]>;
}

/**
 * Single-node KRaft broker+controller for development and tests.
 * Loopback only: nothing here is meant to be reachable from another host.
 * Internal topics are shrunk because each partition costs startup time and
 * memory on the 2-core machines, and replication factors must be 1 with a
 * single node or transactions and consumer groups never become available.
 */
export function renderServerProperties(input: ServerConfigInput): string {
  const { port, controllerPort, logDirs } = input;
  const listeners: ReadonlyArray<readonly [string, string | number]> = input.secured ?? [
    ['listeners', `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
  ];
  const settings: Array<readonly [string, string | number]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ...listeners,
    ['controller.listener.names', 'CONTROLLER'],
    // Dynamic quorum (KIP-853), matching `StorageTool format --standalone`.
    ['controller.quorum.bootstrap.servers', `127.0.0.1:${controllerPort}`],
    ['log.dirs', logDirs],
    // Topics are created explicitly by the code that owns them; a typo must fail, not create a topic.
    ['auto.create.topics.enable', 'false'],
    ['num.partitions', 1],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    ['offsets.topic.replication.factor', 1],
    ['offsets.topic.num.partitions', 8],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['transaction.state.log.num.partitions', 8],
    // Kafka 4.x share groups; ignored (logged as unknown) by 3.9.
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    // Tests join groups constantly; the default 3 s delay would dominate their runtime.
    ['group.initial.rebalance.delay.ms', 0],
    ['log.segment.bytes', 16 * 1024 * 1024],
    ['log.retention.hours', 24],
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['num.recovery.threads.per.data.dir', 1],
  ];
  const header = '# Written by tools/kafka (startBroker) on every start; edits are overwritten.\n';
  return header + settings.map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}

/** Console-only logging: the launcher redirects stdout to broker.log. */
export function renderLoggingConfig(flavor: LoggingFlavor): string {
  if (flavor === 'log4j2') {
    return [
      'status = warn',
      'appender.console.type = Console',
      'appender.console.name = STDOUT',
      'appender.console.layout.type = PatternLayout',
      'appender.console.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = info',
      'rootLogger.appenderRef.stdout.ref = STDOUT',
      'logger.request.name = kafka.request.logger',
      'logger.request.level = warn',
      'logger.statechange.name = state.change.logger',
      'logger.statechange.level = warn',
      '',
    ].join('\n');
  }
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    '',
  ].join('\n');
}

export function loggingConfigPath(dataDir: string, flavor: LoggingFlavor): string {
  return join(dataDir, flavor === 'log4j2' ? 'log4j2.properties' : 'log4j.properties');
}

/** The system property each logging backend reads its config file from. */
export function loggingJvmFlag(flavor: LoggingFlavor, file: string): string {
  return flavor === 'log4j2' ? `-Dlog4j2.configurationFile=${file}` : `-Dlog4j.configuration=file:${file}`;
}

/**
 * Small heap (2-core, shared machines) and C1-only JIT, which roughly halves
 * broker startup; a dev/test broker never runs long enough for C2 to pay off.
 */
export function jvmOptions(): string[] {
  return ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];
}
