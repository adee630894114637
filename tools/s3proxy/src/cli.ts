/**
 * npx tsx tools/s3proxy/src/cli.ts <fetch|start|stop|status> [--port 9000] [--data-dir .weaver/s3proxy] [--transient]
 *
 * Exit codes: 0 ok, 1 operation failed, 2 bad usage, 3 `status` found nothing running.
 */
import { parseArgs } from 'node:util';

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

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, transient: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...extra] = positionals;
  if (values.help || command === undefined || extra.length > 0) {
    (values.help ? say : (line: string) => process.stderr.write(`${line}\n`))(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ?? '.weaver/s3proxy';
  const port = Number(values.port ?? 9000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new S3ProxyToolError('BAD_ARGUMENT', `--port must be a port number (1-65535), got "${values.port}"`);
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
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof S3ProxyToolError) {
      process.stderr.write(`s3proxy: error (${error.code}): ${error.message}\n`);
      process.exitCode = error.code === 'BAD_ARGUMENT' ? 2 : 1;
    } else {
      process.stderr.write(`s3proxy: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
