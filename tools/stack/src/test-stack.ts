import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { startStack, type RunningStack, type StackOptions } from './stack';

/**
 * The base port of every stack a test file starts: test files run in parallel, so each has its
 * own. A stack takes base..base+199 (services at +0..15 and +100..115; a file's other servers
 * sit in the gaps, noted here). test-stack.spec.ts checks that no two ranges overlap and that
 * all stay below Linux's ephemeral range (32768+), where a port can be taken at any moment by
 * an outgoing connection or a `listen(0)` (seen: EADDRINUSE on 33100 in CI).
 */
export const TEST_STACK_PORTS = {
  'mcp-tools': 20_000, // libs/toolkit's MCP HTTP test server: 20190
  tracing: 20_400, // e2e/tracing; its Jaeger (OTLP, query HTTP, query gRPC): 20650-20652 (WEAVER_TEST_JAEGER_PORT)
  'llm-streaming': 21_000,
  metrics: 21_400, // e2e/metrics: every service's /metrics through promtool, and the usage admin API
  'plan-example': 22_000, // examples/plan-content-pipeline (+ knowledge-base) through the platform
  'examples-router': 22_200, // examples/headline-test + sensitive-summary: A/B arms and classification ceilings in the router
  'canary-scan': 23_000, // its S3Proxy and Redis: 23090, 23091
  'canary-scan-cold': 23_200,
  'rolling-restart': 23_400, // every service twice: balancers +20 and +120..125, second replicas +30..35 / +130..135
  'content-pipeline-sdk': 24_000, // examples/content-pipeline through the platform with WeaverClient
  console: 24_200, // e2e/console: the web console in headless chromium (no other server)
  'openai-router': 24_800, // e2e/openai-router: the router's OpenAI-compatible API with the openai SDK
  'tenant-limits': 25_000,
  openapi: 25_600, // e2e/openapi: GET /openapi.json and real answers checked against @weaver/api-schema
  'attack-matrix': 26_000,
  'kafka-security': 27_000,
  'content-pipeline': 28_000,
  'exactly-once-faults': 29_000, // its own broker: 29390
  'registry-takeover': 30_000,
  'isolated-tier': 31_000,
  governance: 31_200, // its OpenAI-compatible provider listens on an ephemeral port
  'audit-trail': 31_400, // the audit trail through the admin API and tenancy's chainer
  policy: 31_600, // e2e/policies: its MCP filesystem server is stdio (no port)
  image: 31_800, // tools/image: the six services compiled, from the production tree the image holds
  'json-triggers': 25_200, // e2e/json-triggers: CloudEvent run requests written by kcat
  'pattern-subscriptions': 25_400, // e2e/pattern-subscriptions: content.* over topics created before and after start
} as const;

export type TestStackName = keyof typeof TEST_STACK_PORTS;

export const STACK_PORT_SPAN = 200;
export const EPHEMERAL_FROM = 32_768;

/** WEAVER_E2E_PORT_SHIFT moves every test stack's ports, so two checkouts can run them at once. */
export const testPortShift = (): number => Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0);

/**
 * The whole stack for a test file: six service processes on the file's ports (TEST_STACK_PORTS),
 * with their own database and topic namespace, against the broker and PostgreSQL of the test run.
 */
export async function startTestStack(name: TestStackName, extra: Partial<StackOptions> = {}): Promise<RunningStack & { namespace: string }> {
  const shifted = TEST_STACK_PORTS[name] + testPortShift();
  if (shifted + STACK_PORT_SPAN > EPHEMERAL_FROM) throw new Error(`basePort ${shifted} (with WEAVER_E2E_PORT_SHIFT): a stack's ports must stay below ${EPHEMERAL_FROM}, the ephemeral range`);
  const id = randomUUID().slice(0, 8);
  const namespace = `e2e-${id}`;
  const stack = await startStack({
    kafkaBrokers: process.env['WEAVER_TEST_KAFKA_BROKERS']!,
    postgresUrl: process.env['WEAVER_TEST_PG_URL']!,
    database: `weaver_e2e_${id}`,
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
