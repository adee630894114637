/**
 * Start and stop a local Jaeger v2 (built from the Go module proxy by tools/gobin) for tests:
 * in-memory storage, an OTLP/HTTP receiver and the query API, loopback only, on the given
 * ports. Once per test file:
 *
 *   const jaeger = await startJaeger({ otlpPort, queryPort, grpcPort });
 *   // services: OTEL_EXPORTER_OTLP_ENDPOINT = jaeger.otlpEndpoint; read back: new JaegerQuery(jaeger.queryUrl)
 *   await jaeger.stop();
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/gobin and tools/kafka are dev tools, not Nx projects (as in the global setup)
import { ensureGoTool } from '../../gobin/src/gobin';

export interface JaegerPorts {
  /** OTLP over HTTP (what the services export to). */
  otlpPort: number;
  /** The query service's HTTP API (`/api/traces`, `/api/services`). */
  queryPort: number;
  /** The query service's gRPC API (unused by the tests; set so it takes no default port). */
  grpcPort: number;
}

export interface RunningJaeger {
  pid: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT for the services. */
  otlpEndpoint: string;
  queryUrl: string;
  /** What Jaeger wrote (kept for a failing test's message). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Jaeger v2 is an OpenTelemetry Collector distribution: a collector config (format of
 * cmd/jaeger/internal/all-in-one.yaml in the module) with the jaeger_storage and jaeger_query
 * extensions. The collector's own metrics are off (`level: none`: they would listen on 8888),
 * and so is the query service's own tracing (it would export to localhost:4317).
 */
export function jaegerConfig(ports: JaegerPorts, maxTraces = 10_000): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${maxTraces}
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:${ports.queryPort}
    grpc:
      endpoint: 127.0.0.1:${ports.grpcPort}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlpPort}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

export async function startJaeger(ports: JaegerPorts, options: { timeoutMs?: number } = {}): Promise<RunningJaeger> {
  const binary = ensureGoTool('jaeger', (line) => process.stderr.write(`[jaeger] ${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'weaver-jaeger-'));
  const config = join(dir, 'jaeger.yaml');
  writeFileSync(config, jaegerConfig(ports));
  // Not this process's OTEL_* variables: Jaeger's own SDK would read them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const child = spawn(binary, ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`cannot start jaeger (${binary}): ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`jaeger exited with ${code} before it was ready:\n${output}`)));
  });
  exited.catch(() => undefined);
  const queryUrl = `http://127.0.0.1:${ports.queryPort}`;
  const until = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const ready = await Promise.race([answers(`${queryUrl}/api/services`), exited]);
    if (ready && (await answers(`http://127.0.0.1:${ports.otlpPort}/v1/traces`, true))) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`jaeger did not answer on ${queryUrl} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid ?? -1,
    otlpEndpoint: `http://127.0.0.1:${ports.otlpPort}`,
    queryUrl,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/** The server answers HTTP at all (`anyStatus`: the OTLP receiver answers a GET with 405). */
async function answers(url: string, anyStatus = false): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return anyStatus || res.ok;
  } catch {
    return false;
  }
}
