/**
 * npx tsx tools/kafka/src/cli.ts <fetch|start|stop|status> [--port 9092] [--data-dir .weaver/kafka] [--version X]
 *
 * Exit codes: 0 ok, 1 operation failed, 2 bad usage, 3 `status` found no broker running.
 */
import { parseArgs } from 'node:util';

import { brokerStatus, fetchKafka, KafkaToolError, startBroker, stopBroker, DEFAULT_KAFKA_VERSION } from './broker';

const USAGE = `usage: npx tsx tools/kafka/src/cli.ts <fetch|start|stop|status> [options]

  fetch    download the Kafka jars with Maven into the cache (once)
  start    start a local single-node Kafka (reuses a running one)
  stop     stop it (SIGTERM, then SIGKILL after 30 s)
  status   say whether it is running

options:
  --port N          broker port on 127.0.0.1 (default 9092; controller uses N+1)
  --controller-port N
  --data-dir DIR    broker state (default .weaver/kafka)
  --version X       Kafka version (default ${DEFAULT_KAFKA_VERSION})
  --timeout S       start: seconds to wait for the broker (default 90)`;

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function parsePort(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new KafkaToolError('BAD_ARGUMENT', `${flag} must be a port number (1-65535), got "${raw}"`);
  }
  return port;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'controller-port': { type: 'string' },
      'data-dir': { type: 'string' },
      version: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help || command === undefined || extra.length > 0) {
    (values.help ? say : (line: string) => process.stderr.write(`${line}\n`))(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ?? '.weaver/kafka';
  const port = parsePort(values.port, 9092, '--port');
  const progress = (line: string): void => say(`kafka: ${line}`);

  switch (command) {
    case 'fetch': {
      const result = await fetchKafka({ version: values.version, onProgress: progress });
      say(result.downloaded ? `kafka: done` : `kafka: Kafka ${result.version} already in ${result.libsDir}`);
      return 0;
    }
    case 'start': {
      const timeout = values.timeout === undefined ? 90 : Number(values.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new KafkaToolError('BAD_ARGUMENT', '--timeout must be seconds > 0');
      const broker = await startBroker({
        dataDir,
        port,
        controllerPort: values['controller-port'] === undefined ? undefined : parsePort(values['controller-port'], 0, '--controller-port'),
        version: values.version,
        timeoutMs: timeout * 1000,
        onProgress: progress,
      });
      say(`kafka: brokers=${broker.brokers}  (stop with: npx tsx tools/kafka/src/cli.ts stop --data-dir ${dataDir})`);
      return 0;
    }
    case 'stop': {
      say((await stopBroker(dataDir)) ? `kafka: stopped broker in ${dataDir}` : `kafka: no broker running in ${dataDir}`);
      return 0;
    }
    case 'status': {
      const status = await brokerStatus(dataDir);
      if (status.state === 'stopped') {
        say(`kafka: stopped (${status.dataDir})`);
        return 3;
      }
      say(`kafka: ${status.state}  Kafka ${status.version}  brokers=${status.brokers}  pid=${status.pid}  log=${status.logFile}`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof KafkaToolError) {
      process.stderr.write(`kafka: error (${error.code}): ${error.message}\n`);
      process.exitCode = error.code === 'BAD_ARGUMENT' ? 2 : 1;
    } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`kafka: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`kafka: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
