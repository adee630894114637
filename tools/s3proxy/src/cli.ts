/**
 * npx tsx tools/s3proxy/src/cli.ts <fetch|start|stop|status> [--port 9000] [--data-dir .weaver/s3proxy] [--transient]
 *
 * Exit codes: 0 ok, 1 operation failed, 2 bad usage, 3 `status` found nothing running.
 */
import { parseArgs } from 'node:util';

import { commandOf, portArgument, runToolCli, say, unknownCommand } from '../../tool-cli/tool-cli';
import { fetchS3Proxy, s3ProxyStatus, S3ProxyToolError, startS3Proxy, stopS3Proxy } from './s3proxy';

const USAGE = `usage: npx tsx tools/s3proxy/src/cli.ts <fetch|start|stop|status> [options]

  fetch    download the S3Proxy jars with Maven into the cache (once)
  start    start a local S3-compatible server (reuses a running one)
  stop     stop it
  status   say whether it is running

options:
  --port N          port on 127.0.0.1 (default 9000)
  --data-dir DIR    config, log and objects (default .weaver/s3proxy)
  --transient       keep objects in memory instead of DIR/blobs`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, transient: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = commandOf(positionals, values.help, USAGE);
  if (typeof command === 'number') return command;
  const dataDir = values['data-dir'] ?? '.weaver/s3proxy';
  const port = portArgument(values.port, 9000, '--port', (m) => new S3ProxyToolError('BAD_ARGUMENT', m));
  const progress = (line: string): void => say(`s3proxy: ${line}`);

  switch (command) {
    case 'fetch': {
      const result = await fetchS3Proxy(progress);
      if (!result.downloaded) say(`s3proxy: already in ${result.libsDir}`);
      return 0;
    }
    case 'start': {
      const proxy = await startS3Proxy({ port, dataDir, backend: values.transient ? 'transient' : 'filesystem', onProgress: progress });
      say(`s3proxy: ${proxy.reused ? 'already running' : 'started'} at ${proxy.endpoint} (pid ${proxy.pid}, log ${proxy.logFile})`);
      say(`s3proxy: access key ${proxy.accessKeyId}, secret ${proxy.secretAccessKey}, any region, path-style URLs`);
      say(`s3proxy: stop with: npx tsx tools/s3proxy/src/cli.ts stop --data-dir ${dataDir}`);
      return 0;
    }
    case 'stop':
      say((await stopS3Proxy(dataDir)) ? `s3proxy: stopped the proxy in ${dataDir}` : `s3proxy: nothing running in ${dataDir}`);
      return 0;
    case 'status': {
      const status = s3ProxyStatus(dataDir);
      if (status.state === 'stopped') {
        say(`s3proxy: stopped (${status.dataDir})`);
        return 3;
      }
      say(`s3proxy: running  endpoint=http://127.0.0.1:${status.port}  backend=${status.backend}  pid=${status.pid}`);
      return 0;
    }
    default:
      return unknownCommand(command, USAGE);
  }
}

runToolCli('s3proxy', USAGE, () => main(process.argv.slice(2)), (e): e is S3ProxyToolError => e instanceof S3ProxyToolError);
