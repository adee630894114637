/**
 * `npm run dev`: Weaver locally, end to end, on a fresh machine — a real Kafka broker (KRaft),
 * a real PostgreSQL, the six services, a dev tenant, and one run of the example workflow with
 * its progress. Leaves everything running until Ctrl-C (or exits after the example with --once).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBroker } from '../kafka/src/broker';
import { startPostgres } from '../postgres/src/embedded';
import { REPO_ROOT } from '../stack/src/service-process';
import { startStack, type ServiceName } from '../stack/src/stack';
import { FILESYSTEM_SERVER } from '../../libs/testing/src/mcp-servers';
import { followRunOverSse } from './follow-run';

const once = process.argv.includes('--once');
const verbose = process.argv.includes('--verbose');
const dataDir = join(REPO_ROOT, '.weaver', 'dev');
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const step = (n: number, of: number, what: string): void => say(`\n[${n}/${of}] ${what}`);

/** The agent-runner's MCP servers in development: yours (MCP_SERVERS_FILE / MCP_SERVERS) or the filesystem server on .weaver/dev/files. */
function devMcpServers(): Record<string, string> {
  if (process.env['MCP_SERVERS_FILE']) return { MCP_SERVERS_FILE: process.env['MCP_SERVERS_FILE'] };
  if (process.env['MCP_SERVERS']) return { MCP_SERVERS: process.env['MCP_SERVERS'] };
  const files = join(dataDir, 'files');
  mkdirSync(files, { recursive: true });
  return { MCP_SERVERS: JSON.stringify({ mcpServers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, files] } } }) };
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(dataDir, { recursive: true });
  step(1, 5, 'Kafka broker (first run downloads its jars with Maven) and PostgreSQL');
  const [broker, pg] = await Promise.all([
    startBroker({ dataDir: join(dataDir, 'kafka'), port: Number(process.env['WEAVER_KAFKA_PORT'] ?? 9092), onProgress: (l) => say(`  kafka: ${l}`) }),
    startPostgres({ dataDir: join(dataDir, 'postgres'), port: Number(process.env['WEAVER_PG_PORT'] ?? 55432) }),
  ]);
  say(`  kafka ${broker.brokers} (Kafka ${broker.version}), postgres on port ${pg.port}`);

  step(2, 5, 'the migrate step (schemas, one database role per service), then the six services');
  const stack = await startStack({
    kafkaBrokers: broker.brokers,
    postgresUrl: pg.superuserUrl,
    database: 'weaver',
    basePort: Number(process.env['WEAVER_BASE_PORT'] ?? 8080),
    dataDir,
    workflows: process.env['WEAVER_WORKFLOWS']?.split(','),
    logLevel: verbose ? 'info' : 'warn',
    echo: verbose ? (svc: ServiceName, line: string) => say(`  [${svc}] ${line}`) : undefined,
    onProgress: (l) => say(`  ${l}`),
    // Editing an agent between restarts changes its definition under the same version: in
    // development that is a warning, not a refusal to start.
    // One MCP server to try tools with (docs/tools.md): the reference filesystem server on
    // .weaver/dev/files, unless MCP_SERVERS(_FILE) names your own.
    env: { 'agent-runner': { REGISTRY_STRICT: 'false', ...devMcpServers() } },
  });

  step(3, 5, 'a dev tenant and its API key');
  const { tenantId, apiKey } = await stack.createTenant('dev');
  const credentials = { url: stack.gatewayUrl, apiKey, tenantId };
  writeFileSync(join(REPO_ROOT, '.weaver', 'credentials.json'), JSON.stringify(credentials, null, 2) + '\n');
  say(`  tenant ${tenantId}; credentials written to .weaver/credentials.json`);

  step(4, 5, 'the example workflow: content-pipeline (researcher → writer → reviewer)');
  const result = await followRunOverSse(stack.gatewayUrl, apiKey, 'content-pipeline', { topic: 'AI Safety' }, (line) => say(`  ${line}`));
  say(`  result: ${JSON.stringify(result)}`);

  step(5, 5, `Weaver is running (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  say(`  gateway  ${stack.gatewayUrl}   (REST, docs/api.md)   gRPC ${stack.gatewayGrpcUrl}`);
  say(`  try:     curl -s -H "authorization: Bearer ${apiKey}" ${stack.gatewayUrl}/v1/runs`);
  say(`  tools:   curl -s -H "authorization: Bearer ${apiKey}" ${stack.gatewayUrl}/v1/tools   (MCP servers; grant tools per agent, docs/tools.md)`);
  say(`  logs:    ${join(dataDir, 'logs')}/<service>.log`);
  say(`  data:    encrypted per tenant (AES-256-GCM); development keyring ${stack.keyringFile}`);
  const shutdown = async (): Promise<void> => {
    say('\nstopping the services (Kafka and PostgreSQL keep running: `npx tsx tools/kafka/src/cli.ts stop --data-dir .weaver/dev/kafka`)');
    await stack.stop();
    process.exit(0);
  };
  if (once) return shutdown();
  say('  Ctrl-C stops the services.');
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`\nweaver dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
