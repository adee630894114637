/**
 * npx tsx tools/postgres/src/cli.ts <start|stop|status> [--port 5432] [--data-dir .weaver/postgres] [--password weaver]
 *
 * Exit codes: 0 ok, 1 operation failed, 2 bad usage, 3 `status` found no server running.
 */
import { parseArgs } from 'node:util';

import { commandOf, portArgument, runToolCli, say, unknownCommand } from '../../tool-cli/tool-cli';
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
  const command = commandOf(positionals, values.help, USAGE);
  if (typeof command === 'number') return command;
  const dataDir = values['data-dir'] ?? '.weaver/postgres';

  switch (command) {
    case 'start': {
      say(`postgres: starting from ${dataDir} ...`);
      const pg = await startPostgres({ dataDir, port: portArgument(values.port, 5432, '--port', (m) => new PostgresToolError('BAD_ARGUMENT', m)), user: values.user, password: values.password });
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
      return unknownCommand(command, USAGE);
  }
}

runToolCli('postgres', USAGE, () => main(process.argv.slice(2)), (e): e is PostgresToolError => e instanceof PostgresToolError);
