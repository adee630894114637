/**
 * npx tsx tools/postgres/src/cli.ts <start|stop|status> [--port 5432] [--data-dir .weaver/postgres] [--password weaver]
 *
 * Exit codes: 0 ok, 1 operation failed, 2 bad usage, 3 `status` found no server running.
 */
import { parseArgs } from 'node:util';

import { postgresStatus, PostgresToolError, startPostgres, stopPostgres } from './embedded';

const USAGE = `usage: npx tsx tools/postgres/src/cli.ts <start|stop|status> [options]

  start    start a local PostgreSQL (initialises the data dir once; reuses a running server)
  stop     stop it (fast shutdown)
  status   say whether it is running

options:
  --port N          port on 127.0.0.1 (default 5432)
  --data-dir DIR    cluster files (default .weaver/postgres)
  --user NAME       superuser, set when the data dir is first initialised (default postgres)
  --password PW     superuser password, set at first initialisation (default weaver)`;

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 5432;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PostgresToolError('BAD_ARGUMENT', `--port must be a port number (1-65535), got "${raw}"`);
  return port;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help || command === undefined || extra.length > 0) {
    (values.help ? say : (line: string) => process.stderr.write(`${line}\n`))(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ?? '.weaver/postgres';

  switch (command) {
    case 'start': {
      say(`postgres: starting from ${dataDir} ...`);
      const pg = await startPostgres({ dataDir, port: parsePort(values.port), user: values.user, password: values.password });
      say(`postgres: ${pg.reused ? 'already running' : 'started'} (pid ${pg.pid}, log ${pg.logFile})`);
      say(`postgres: superuser URL ${pg.superuserUrl}`);
      say(`postgres: stop with: npx tsx tools/postgres/src/cli.ts stop --data-dir ${dataDir}`);
      return 0;
    }
    case 'stop':
      say((await stopPostgres(dataDir)) ? `postgres: stopped the server in ${dataDir}` : `postgres: no server running in ${dataDir}`);
      return 0;
    case 'status': {
      const status = postgresStatus(dataDir);
      if (status.state === 'stopped') {
        say(`postgres: stopped (${status.dataDir}${status.initialised ? ', initialised' : ', not initialised yet'})`);
        return 3;
      }
      say(`postgres: running  port=${status.port}  pid=${status.pid}  log=${status.logFile}`);
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
    if (error instanceof PostgresToolError) {
      process.stderr.write(`postgres: error (${error.code}): ${error.message}\n`);
      process.exitCode = error.code === 'BAD_ARGUMENT' ? 2 : 1;
    } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`postgres: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`postgres: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
