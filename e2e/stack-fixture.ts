import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { startStack, type RunningStack, type StackOptions } from '@weaver/stack';

/**
 * The whole stack for an end-to-end test file: six service processes on their own ports,
 * database and topic namespace, against the broker and PostgreSQL of the test run.
 */
export async function startTestStack(basePort: number, extra: Partial<StackOptions> = {}): Promise<RunningStack & { namespace: string }> {
  const id = randomUUID().slice(0, 8);
  const namespace = `e2e-${id}`;
  const stack = await startStack({
    kafkaBrokers: process.env['WEAVER_TEST_KAFKA_BROKERS']!,
    postgresUrl: process.env['WEAVER_TEST_PG_URL']!,
    database: `weaver_e2e_${id}`,
    // WEAVER_E2E_PORT_SHIFT moves every e2e stack's ports, so two checkouts can run e2e files at once.
    basePort: basePort + Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0),
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
