/**
 * npx tsx tools/moto/src/cli.ts <install|start|stop> [--port 4566] [--data-dir .weaver/moto]
 *
 * A local KMS-compatible server (moto) for development and tests. Exit codes: 0 ok, 1 failed, 2 bad usage.
 */
import { parseArgs } from 'node:util';

import { commandOf, portArgument, runToolCli, say, unknownCommand } from '../../tool-cli/tool-cli';
import { installMoto, MotoToolError, startMoto, stopMoto } from './moto';

const USAGE = `usage: npx tsx tools/moto/src/cli.ts <install|start|stop> [options]

  install  pip-install moto[server] into its cached venv (once)
  start    start it on 127.0.0.1 (reuses a running one)
  stop     stop it

options:
  --port N          port (default 4566)
  --data-dir DIR    pid and log (default .weaver/moto)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const command = commandOf(positionals, values.help, USAGE);
  if (typeof command === 'number') return command;
  const dataDir = values['data-dir'] ?? '.weaver/moto';
  const port = portArgument(values.port, 4566, '--port', (m) => new MotoToolError('BAD_ARGUMENT', m));
  switch (command) {
    case 'install':
      say(`moto: ready in ${await installMoto((l) => say(`moto: ${l}`))}`);
      return 0;
    case 'start': {
      const moto = await startMoto({ port, dataDir, onProgress: (l) => say(`moto: ${l}`) });
      say(`moto: ${moto.reused ? 'already running' : 'started'} at ${moto.endpoint} (pid ${moto.pid}); any credentials, region us-east-1`);
      return 0;
    }
    case 'stop':
      say((await stopMoto(dataDir)) ? `moto: stopped (${dataDir})` : `moto: nothing running in ${dataDir}`);
      return 0;
    default:
      return unknownCommand(command, USAGE);
  }
}

runToolCli('moto', USAGE, () => main(process.argv.slice(2)), (e): e is MotoToolError => e instanceof MotoToolError);
