/**
 * npx tsx tools/kafka/src/cli.ts <fetch|start|stop|status> [--port 9092] [--data-dir .weaver/kafka] [--version X]
 *
 * Exit codes: 0 ok, 1 operation failed, 2 bad usage, 3 `status` found no broker running.
 */
import { parseArgs } from 'node:util';

import { commandOf, portArgument, runToolCli, say, unknownCommand } from '../../tool-cli/tool-cli';
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
  --timeout S       start: seconds to wait for the broker (default 90)
  --secure          start: SASL_SSL (TLS with a development CA, SCRAM) and ACLs instead of PLAINTEXT
  --users a,b       start --secure: SCRAM users besides broker and admin (made when the storage is formatted)`;

const badArgument = (message: string): Error => new KafkaToolError('BAD_ARGUMENT', message);

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
      secure: { type: 'boolean' },
      users: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = commandOf(positionals, values.help, USAGE);
  if (typeof command === 'number') return command;
  const dataDir = values['data-dir'] ?? '.weaver/kafka';
  const port = portArgument(values.port, 9092, '--port', badArgument);
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
        controllerPort: values['controller-port'] === undefined ? undefined : portArgument(values['controller-port'], 0, '--controller-port', badArgument),
        version: values.version,
        timeoutMs: timeout * 1000,
        onProgress: progress,
        ...(values.secure ? { security: { users: (values.users ?? '').split(',').map((u) => u.trim()).filter(Boolean) } } : {}),
      });
      say(`kafka: brokers=${broker.brokers}  (stop with: npx tsx tools/kafka/src/cli.ts stop --data-dir ${dataDir})`);
      // Where the secrets are, never the secrets themselves.
      if (broker.security) say(`kafka: SASL_SSL: CA ${broker.security.caFile}; SCRAM users ${Object.keys(broker.security.passwords).join(', ')}, passwords in ${broker.security.passwordFile('<user>')}`);
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
      return unknownCommand(command, USAGE);
  }
}

runToolCli('kafka', USAGE, () => main(process.argv.slice(2)), (e): e is KafkaToolError => e instanceof KafkaToolError);
