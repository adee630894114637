import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { startStack, type RunningStack, type StackOptions } from '@weaver/stack';

/**
 * Each e2e file has its own base port (files run in parallel): 21000 llm-streaming, 25000 tenant-limits, 26000
 * attack-matrix, 27000 kafka-security, 28000 content-pipeline, 29000 exactly-once-faults, 30000
 * registry-takeover, 31000 isolated-tier, 20000 mcp-tools (its MCP HTTP test server on 20190:
 * libs/toolkit), 23000/23200 canary-scan (its S3Proxy and Redis on
 * 23090/23091). A stack takes base..base+199.
 * All stay below Linux's ephemeral range (32768+): a port there can be taken at any moment by
 * some process's outgoing connection or a `listen(0)` (seen: EADDRINUSE on 33100 in CI).
 */
const EPHEMERAL_FROM = 32_768;

/**
 * The whole stack for an end-to-end test file: six service processes on their own ports,
 * database and topic namespace, against the broker and PostgreSQL of the test run.
 */
export async function startTestStack(basePort: number, extra: Partial<StackOptions> = {}): Promise<RunningStack & { namespace: string }> {
  const shifted = basePort + Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0);
  if (shifted + 200 > EPHEMERAL_FROM) throw new Error(`basePort ${shifted} (with WEAVER_E2E_PORT_SHIFT): a stack's ports must stay below ${EPHEMERAL_FROM}, the ephemeral range`);
  const id = randomUUID().slice(0, 8);
  const namespace = `e2e-${id}`;
  const stack = await startStack({
    kafkaBrokers: process.env['WEAVER_TEST_KAFKA_BROKERS']!,
    postgresUrl: process.env['WEAVER_TEST_PG_URL']!,
    database: `weaver_e2e_${id}`,
    // WEAVER_E2E_PORT_SHIFT moves every e2e stack's ports, so two checkouts can run e2e files at once.
    basePort: shifted,
    dataDir: mkdtempSync(join(tmpdir(), `weaver-${namespace}-`)),
    namespace,
    partitions: 3,
    workflows: ['examples/content-pipeline/workflow.ts'],
    passwords: TEST_SERVICE_PASSWORDS, // the test cluster's service-role passwords, shared by every test file
    logLevel: process.env['WEAVER_E2E_LOG_LEVEL'] ?? 'warn',
    ...extra,
  });
  return Object.assign(stack, { namespace });
}
