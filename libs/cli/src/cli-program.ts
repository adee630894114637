import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT, type ExitCode } from './cli-error';
import type { CliIo } from './cli-io';
import { agentsCommand } from './commands/agents.command';
import { auditVerifyCommand } from './commands/audit.command';
import { createContext, httpGatewayFactory, type CommandContext, type GatewayFactory } from './commands/command-context';
import { devCommand, spawnForeground, type DevLauncher } from './commands/dev.command';
import { initCommand } from './commands/init.command';
import { logsCommand } from './commands/logs.command';
import { runCommand } from './commands/run.command';
import { parseLimit, runsCommand } from './commands/runs.command';
import { checkoutPaths } from './config/checkout';
import type { GlobalFlags } from './config/cli-config';
import { reportError } from './error-report';

/** Seams for tests: which gateway and dev launcher the commands use. */
export interface CliDependencies {
  gateway?: GatewayFactory;
  devLauncher?: DevLauncher;
  checkoutRoot?: string;
}

const HELP_FOOTER = `
Configuration: --url / WEAVER_URL (default http://127.0.0.1:8080), --api-key / WEAVER_API_KEY,
else .weaver/credentials.json (written by \`weaver dev\`). NO_COLOR or --no-color turn colour off.

Exit codes: 0 ok, 1 the run failed or an error occurred, 2 usage (bad flag, input or configuration),
130 interrupted (Ctrl-C).

Examples:
  weaver init my-agents && cd my-agents && weaver dev
  weaver run content-pipeline --input '{"topic": "AI safety"}'
  weaver run content-pipeline --input-file input.json --json | jq .result
  weaver logs <run-id> --follow
  weaver audit verify bundle.json --key audit-key.json
`;

const collectCsv = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
const limitOption = (value: string) => {
  try {
    return parseLimit(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^--limit: /, ''));
  }
};

/** The `weaver` command tree. Each action stores its exit code in `setExit`. */
export function buildProgram(io: CliIo, deps: CliDependencies, setExit: (code: ExitCode) => void): Command {
  const program = new Command('weaver');
  const context = (cmd: Command): CommandContext => createContext(io, cmd.optsWithGlobals<GlobalFlags>(), deps.gateway ?? httpGatewayFactory);
  const act =
    <A extends unknown[]>(fn: (ctx: CommandContext, ...args: A) => Promise<ExitCode> | ExitCode) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      setExit(await fn(context(cmd), ...(args.slice(0, -1) as A)));
    };

  program
    .description('Weaver: exactly-once multi-agent workflows. Scaffold agents, run the local stack, start and watch runs.')
    .version(packageVersion(deps.checkoutRoot), '-V, --version')
    .option('--url <url>', 'gateway URL (env WEAVER_URL)')
    .option('--api-key <key>', 'tenant API key (env WEAVER_API_KEY)')
    .option('--json', 'machine-readable output: one JSON object (NDJSON for streams) on stdout, nothing else')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'usage error: ')),
    })
    .addHelpText('after', HELP_FOOTER);

  program
    .command('init')
    .description('scaffold a new agent project in <dir> (which must be new or empty)')
    .argument('<dir>', 'directory to create')
    .option('--name <agent>', 'name of the first agent (kebab-case)', 'summarizer')
    .option('--workflow <name>', 'workflow name (kebab-case; default: from <dir>)')
    .action(act((ctx, dir: string, opts: { name?: string; workflow?: string }) => initCommand(ctx, dir, opts, deps.checkoutRoot)));

  program
    .command('dev')
    .description("run the local stack (broker, database, six services) with this project's workflows; Ctrl-C stops it")
    .option('--workflows <paths>', 'workflow modules to load, comma-separated (default: package.json "weaver.workflows")', collectCsv)
    .option('--once', 'stop after the start-up example run')
    .option('--verbose', "stream every service's log")
    .option('--dry-run', 'print what would be started, start nothing')
    .action(act((ctx, opts: { workflows?: string[]; once?: boolean; verbose?: boolean; dryRun?: boolean }) => devCommand(ctx, opts, deps.devLauncher ?? spawnForeground, deps.checkoutRoot)));

  program
    .command('run')
    .description('start a run of <workflow> and show its progress until it ends; the result goes to stdout')
    .argument('<workflow>', 'workflow name, e.g. content-pipeline')
    .option('-i, --input <json>', 'run input as JSON')
    .option('-f, --input-file <path>', 'run input from a JSON file')
    .option('--run-id <uuid>', 'your own run id: starting the same id again follows the existing run')
    .option('--classification <labels>', 'data classification labels, comma-separated', collectCsv)
    .option('-d, --detach', 'print the run id and return at once')
    .action(act((ctx, workflow: string, opts: Parameters<typeof runCommand>[2]) => runCommand(ctx, workflow, opts)));

  program
    .command('runs')
    .description('recent runs, newest first')
    .addOption(new Option('-n, --limit <n>', 'how many (1-500)').argParser(limitOption).default(20))
    .action(act((ctx, opts: { limit: number }) => runsCommand(ctx, opts)));

  program
    .command('logs')
    .description("a run's timeline: each step, agent, status and duration")
    .argument('<run-id>')
    .option('-F, --follow', 'then stream its events until it ends (exit 1 if it failed)')
    .action(act((ctx, runId: string, opts: { follow?: boolean }) => logsCommand(ctx, runId, opts)));

  program
    .command('agents')
    .description('registered agents: version, capabilities, instances and health')
    .option('--capability <name>', 'only agents with this capability')
    .option('--requires-event <type>', 'only agents that consume this event type')
    .action(act((ctx, opts: { capability?: string; requiresEvent?: string }) => agentsCommand(ctx, opts)));

  const audit = program.command('audit').description('the tamper-evident audit trail (docs/audit.md)');
  audit
    .command('verify')
    .description('verify an exported audit bundle offline: signatures, hashes, chain, Merkle proofs; names the seq of every problem')
    .argument('<bundle.json>', 'a bundle from GET /v1/admin/audit/tenants/<tenant>/export')
    .option('--key <key.json>', 'the public key to trust (GET /v1/admin/audit/key); default: the key in the bundle')
    .action(act((ctx, file: string, opts: { key?: string }) => auditVerifyCommand(ctx, file, opts)));

  return program;
}

/**
 * Runs `weaver` with `argv` (as process.argv: node, script, ...args) and resolves with the exit
 * code; never exits the process itself, so tests can run it in-process.
 */
export async function runCli(argv: string[], io: CliIo, deps: CliDependencies = {}): Promise<number> {
  let exit: ExitCode = EXIT.ok;
  const program = buildProgram(io, deps, (code) => (exit = code));
  try {
    await program.parseAsync(argv);
    return exit;
  } catch (err) {
    const flags = program.opts<GlobalFlags>();
    return reportError(err, io, { json: flags.json ?? argv.includes('--json'), color: flags.color });
  }
}

function packageVersion(checkoutRoot?: string): string {
  try {
    return (JSON.parse(readFileSync(join(checkoutPaths(checkoutRoot).root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
