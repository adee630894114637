import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAuditSigningKeyFile, ensureDevCertificates, type DevCertificates } from '@weaver/certs';
import { LocalKms } from '@weaver/crypto';
import { mutualTlsAs, SERVICE_IDENTITIES, type GrpcSecurity } from '@weaver/service-kit';
import { serviceDatabaseUrl, servicePasswordsFile, type ServicePasswords } from '@weaver/database';
import { migrateAll } from '@weaver/migrate';
import { bootstrapDatabase } from '@weaver/testing';
import { ensureCapabilityKeys } from './capability-keys';
import { REPO_ROOT, ServiceProcess, type ServiceSpec } from './service-process';
import { BALANCER_OFFSET, balancersFor, CALLED_SERVICES, restartReplica, secondReplicaSpec, type CalledService } from './stack-replicas';
import type { ReadinessBalancer } from './readiness-balancer';

/** The six services, in start order: the runner provisions topics the gateway then tails. */
export const SERVICE_NAMES = ['tenancy', 'registry', 'publisher', 'router', 'agent-runner', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** Port offsets match the services' own defaults (gateway on basePort, e.g. 8080). */
const PORT_OFFSET: Record<ServiceName, number> = { gateway: 0, registry: 1, router: 2, 'agent-runner': 3, publisher: 4, tenancy: 5 };

export interface StackOptions {
  kafkaBrokers: string;
  /** Superuser URL of a running PostgreSQL; the stack makes (or reuses) database `database`. */
  postgresUrl: string;
  database: string;
  /** HTTP ports are basePort+0..5 (gateway first), gRPC ports basePort+100..105. */
  basePort: number;
  dataDir: string;
  /** Development CA and certificates for gRPC mutual TLS (default `<dataDir>/certs`, made on first run). */
  certsDir?: string;
  workflows?: string[];
  adminToken?: string;
  /**
   * The services' database passwords. Roles are cluster-wide, so stacks sharing a cluster (test
   * files) must agree: they pass TEST_SERVICE_PASSWORDS. Default: generated once and kept in
   * `<dataDir>/database-passwords.json` (mode 0600), as `npm run dev` does.
   */
  passwords?: ServicePasswords;
  partitions?: number;
  /**
   * Agent-runner processes (default 1), all members of the same consumer groups. Replica k >= 2
   * is named agent-runner-<k> and listens on basePort+10+k (HTTP) and basePort+110+k (gRPC).
   */
  runnerReplicas?: number;
  /**
   * Every service twice, as a highly available installation runs it: callers reach tenancy,
   * registry, publisher, router and the gateway through readiness-gated balancers (tcp for gRPC,
   * like a Kubernetes Service; http for the gateway's REST, like an ingress), two agent-runners
   * share the consumer groups, and each service drains for SHUTDOWN_DRAIN_MS (default here 1000)
   * before it stops. What `rollingRestart` needs for zero failed requests.
   */
  replicated?: boolean;
  /** Topic/group prefix, so stacks (e.g. test files) can share one broker. */
  namespace?: string;
  logLevel?: string;
  /**
   * The local keyring (KEKs of per-tenant envelope encryption) every service shares; default
   * `<dataDir>/keys/keyring.json`, made before the services start (encryption is on by default).
   */
  keyringFile?: string;
  /** Extra environment per service (e.g. short registry timeouts in tests). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  echo?: (service: ServiceName, line: string) => void;
  /**
   * How to start an app instead of from its TypeScript sources: Node's arguments and working
   * directory, e.g. the image's entrypoint in a compiled production tree (tools/image).
   */
  launch?: (app: ServiceName) => { args: string[]; cwd: string };
  onProgress?: (line: string) => void;
}

export interface RunningStack {
  services: Record<ServiceName, ServiceProcess>;
  /** Every agent-runner replica; the first is services['agent-runner']. */
  runners: ServiceProcess[];
  gatewayUrl: string;
  gatewayGrpcUrl: string;
  adminToken: string;
  /** The stack's development certificates (the services' and an `operator` identity's). */
  certs: DevCertificates;
  /** gRPC client security of an operator (tests and tools calling the services directly). */
  operatorSecurity(): GrpcSecurity;
  /** The stack database's owner (superuser) URL: for operator steps (erasure, key admin) and tests. */
  ownerUrl: string;
  /** The keyring file the services' LocalKms reads. */
  keyringFile: string;
  /** Creates a tenant through the gateway; returns its id and API key. */
  createTenant(name: string, tier?: 'standard' | 'isolated'): Promise<{ tenantId: string; apiKey: string }>;
  /**
   * Starts an isolated-tier tenant's own agent-runner (its topics, groups and process), as a
   * Kubernetes installation would run one Deployment per isolated tenant; stopped with the stack.
   */
  startIsolatedRunner(tenantId: string): Promise<ServiceProcess>;
  restart(name: ServiceName): Promise<void>;
  /** Every process of the stack (replicas included), in start order. */
  processes(): ServiceProcess[];
  /**
   * A rolling restart (replicated stacks): one process at a time, SIGTERM, start, ready, routed
   * again; `onRestarted` hears each with its exit code (0: graceful).
   */
  rollingRestart(onRestarted?: (process: ServiceProcess, exitCode: number | null) => void): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Weaver's six services as separate processes against a real broker and database: what
 * `npm run dev` runs and what the end-to-end tests drive. The migrate step runs first, as the
 * owner (every schema, one role per service); each service then connects as its own role and
 * never sees the owner's URL.
 */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const say = opts.onProgress ?? (() => undefined);
  const logDir = join(opts.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const passwords = opts.passwords ?? servicePasswordsFile(join(opts.dataDir, 'database-passwords.json'), { create: true });
  const db = await bootstrapDatabase(opts.postgresUrl, opts.database);
  const migrated = await migrateAll(db.ownerUrl, passwords);
  const applied = Object.values(migrated.applied).flat().length;
  say(`migrate step: ${applied === 0 ? 'schemas up to date' : `${applied} migration(s) applied`}; roles ${migrated.roles.join(', ')}`);
  const adminToken = opts.adminToken ?? 'weaver-local-admin-token';
  // Every gRPC hop is mutual TLS: one certificate per service, from a CA made on first run.
  const certs = ensureDevCertificates(opts.certsDir ?? join(opts.dataDir, 'certs'), SERVICE_IDENTITIES);
  const port = (name: ServiceName) => ({ httpPort: opts.basePort + PORT_OFFSET[name], grpcPort: opts.basePort + 100 + PORT_OFFSET[name] });
  const called = (name: ServiceName): name is CalledService => (CALLED_SERVICES as readonly string[]).includes(name);
  // Replicated: callers dial the service's balancer, never a replica.
  const grpc = (name: ServiceName) => `127.0.0.1:${opts.replicated && called(name) ? opts.basePort + BALANCER_OFFSET.grpc + PORT_OFFSET[name] : port(name).grpcPort}`;
  // Pools sized to the work: the gateway (intake), the router and the runner write on every run or step, the others rarely.
  // Made here, once, so the services (started together) never race to create different KEKs.
  const keyringFile = opts.keyringFile ?? join(opts.dataDir, 'keys', 'keyring.json');
  LocalKms.open(keyringFile);
  // Each service's own role: the URL is the only database credential it gets.
  const dbEnv = (name: ServiceName, poolSize = 5) => ({
    DATABASE_URL: serviceDatabaseUrl(db.ownerUrl, name, passwords[name]),
    LOG_LEVEL: opts.logLevel ?? 'info',
    DATABASE_POOL_SIZE: String(poolSize),
    WEAVER_KMS: 'local',
    WEAVER_KMS_KEYRING_FILE: keyringFile,
  });
  const busyDb = (name: ServiceName) => dbEnv(name, 20);
  // Made once per data directory; the gateway gets only the public keys.
  const capability = ensureCapabilityKeys(join(opts.dataDir, 'capability-keys.json'));
  const env: Record<ServiceName, Record<string, string>> = {
    // The audit trail: the chainer and AuditService run in tenancy; its checkpoint key is made once per data directory.
    tenancy: {
      ...dbEnv('tenancy'),
      AUDIT_ENABLED: 'true',
      AUDIT_SIGNING_KEY_FILE: ensureAuditSigningKeyFile(join(opts.dataDir, 'keys', 'audit-signing-key.pem')),
      KAFKA_BROKERS: opts.kafkaBrokers,
      KAFKA_NAMESPACE: opts.namespace ?? '',
    },
    registry: dbEnv('registry'),
    // Router and publisher read tenants' quotas from tenancy (GetQuotas, cached): tenancy starts first.
    publisher: { ...dbEnv('publisher'), RESULT_STORE: 'filesystem', RESULT_STORE_ROOT: join(opts.dataDir, 'results'), ...capability, TENANCY_URL: grpc('tenancy') },
    // The router's Kafka is its policy decisions' audit trail (weaver.audit.v1).
    router: { ...busyDb('router'), ROUTER_MODELS_FILE: join(REPO_ROOT, 'config', 'models.yaml'), TENANCY_URL: grpc('tenancy'), KAFKA_BROKERS: opts.kafkaBrokers, KAFKA_NAMESPACE: opts.namespace ?? '' },
    'agent-runner': {
      ...busyDb('agent-runner'),
      KAFKA_BROKERS: opts.kafkaBrokers,
      KAFKA_NAMESPACE: opts.namespace ?? '',
      ROUTER_URL: grpc('router'),
      PUBLISHER_URL: grpc('publisher'),
      REGISTRY_URL: grpc('registry'),
      TENANCY_URL: grpc('tenancy'),
      WEAVER_WORKFLOWS: (opts.workflows ?? ['examples/index.ts']).join(','),
      TOPIC_PARTITIONS: String(opts.partitions ?? 6),
      INSTANCE_ID: `runner-${opts.basePort}`,
    },
    gateway: { ...busyDb('gateway'), KAFKA_BROKERS: opts.kafkaBrokers, KAFKA_NAMESPACE: opts.namespace ?? '', TENANCY_URL: grpc('tenancy'), REGISTRY_URL: grpc('registry'), ROUTER_URL: grpc('router'), GATEWAY_ADMIN_TOKEN: adminToken, CAPABILITY_VERIFY_KEYS: capability.CAPABILITY_VERIFY_KEYS },
  };
  for (const name of SERVICE_NAMES) Object.assign(env[name], certs.env(name), opts.replicated ? { SHUTDOWN_DRAIN_MS: '1000' } : {});
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const spec: ServiceSpec = { name, ...port(name), env: { ...env[name], ...opts.env?.[name] }, command: opts.launch?.(name) };
      return [name, new ServiceProcess(spec, logDir, opts.echo ? (line) => opts.echo!(name, line) : undefined)];
    }),
  ) as Record<ServiceName, ServiceProcess>;
  const runners = [services['agent-runner']];
  /** The k-th agent-runner process (k ≥ 2): its own ports and instance id, the runner's env plus `extra`. */
  const runnerSpec = (k: number, instanceSuffix: string, extra: Record<string, string> = {}): ServiceSpec => {
    const base = env['agent-runner'];
    return {
      name: `agent-runner-${k}`,
      app: 'agent-runner',
      httpPort: opts.basePort + 10 + k,
      grpcPort: opts.basePort + 110 + k,
      env: { ...base, ...opts.env?.['agent-runner'], INSTANCE_ID: `${base['INSTANCE_ID']}-${instanceSuffix}`, ...extra },
      command: opts.launch?.('agent-runner'),
    };
  };
  for (let k = 2; k <= Math.max(opts.runnerReplicas ?? 1, opts.replicated ? 2 : 1); k++) {
    const spec = runnerSpec(k, String(k));
    runners.push(new ServiceProcess(spec, logDir, opts.echo ? (line) => opts.echo!('agent-runner', `[${k}] ${line}`) : undefined));
  }

  // Replicated: a second process of each called service and the balancers in front of both.
  const seconds = new Map<ServiceName, ServiceProcess>();
  const balancers = new Map<ServiceName, ReadinessBalancer[]>();
  if (opts.replicated) {
    for (const name of CALLED_SERVICES) {
      const spec = secondReplicaSpec(services[name].spec, opts.basePort, PORT_OFFSET[name]);
      seconds.set(name, new ServiceProcess(spec, logDir, opts.echo ? (line) => opts.echo!(name, `[2] ${line}`) : undefined));
      balancers.set(name, balancersFor(name, [services[name], seconds.get(name)!], opts.basePort, PORT_OFFSET[name]));
    }
    for (const b of [...balancers.values()].flat()) await b.start();
  }
  const replicasOf = (n: ServiceName): ServiceProcess[] => (n === 'agent-runner' ? runners : [services[n], ...(seconds.has(n) ? [seconds.get(n)!] : [])]);
  const startAll = async (names: ServiceName[]): Promise<void> => {
    const procs = names.flatMap((n) => (n === 'agent-runner' ? [services[n]] : replicasOf(n)));
    for (const p of procs) p.start();
    await Promise.all(procs.map(async (p) => {
      await p.waitReady();
      say(`${p.spec.name} is ready on ${p.httpUrl} (gRPC ${p.grpcUrl})`);
    }));
    // The next services' first calls go through the balancers: wait until they route here.
    for (const n of names) for (const b of balancers.get(n) ?? []) for (const p of replicasOf(n)) await b.waitRouted(`${p.httpUrl}/health/ready`);
  };
  try {
    await startAll(['tenancy', 'registry']);
    await startAll(['publisher', 'router']);
    await startAll(['agent-runner']);
    for (const r of runners.slice(1)) r.start();
    await Promise.all(runners.slice(1).map((r) => r.waitReady()));
    await startAll(['gateway']);
  } catch (error) {
    await Promise.all([...SERVICE_NAMES.map((n) => services[n].kill()), ...runners.map((r) => r.kill()), ...[...seconds.values()].map((p) => p.kill())]);
    for (const b of [...balancers.values()].flat()) await b.stop();
    throw new Error(`${(error as Error).message} — logs in ${logDir}`);
  }

  const gatewayUrl = opts.replicated ? `http://127.0.0.1:${opts.basePort + BALANCER_OFFSET.rest}` : services.gateway.httpUrl;
  return {
    services,
    runners,
    gatewayUrl,
    gatewayGrpcUrl: opts.replicated ? grpc('gateway') : services.gateway.grpcUrl,
    adminToken,
    certs,
    operatorSecurity: () => mutualTlsAs('operator', certs.env('operator')),
    ownerUrl: db.ownerUrl,
    keyringFile,
    async createTenant(name, tier = 'standard') {
      const res = await fetch(`${gatewayUrl}/v1/tenants`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-token': adminToken }, body: JSON.stringify({ name, tier }) });
      if (res.status !== 201) throw new Error(`creating tenant "${name}" failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { tenant: { tenantId: string }; apiKey: string };
      return { tenantId: body.tenant.tenantId, apiKey: body.apiKey };
    },
    async startIsolatedRunner(tenantId) {
      const k = runners.length + 1;
      const spec = runnerSpec(k, `tenant-${tenantId}`, { WEAVER_ISOLATED_TENANT: tenantId });
      const runner = new ServiceProcess(spec, logDir, opts.echo ? (line) => opts.echo!('agent-runner', `[tenant ${tenantId.slice(0, 8)}] ${line}`) : undefined);
      runners.push(runner);
      runner.start();
      await runner.waitReady();
      return runner;
    },
    async restart(name) {
      await services[name].stop();
      services[name].start();
      await services[name].waitReady();
    },
    processes: () => SERVICE_NAMES.flatMap(replicasOf),
    async rollingRestart(onRestarted) {
      for (const n of SERVICE_NAMES) {
        for (const p of replicasOf(n)) {
          const code = await restartReplica(p, balancers.get(n) ?? []);
          onRestarted?.(p, code);
        }
      }
    },
    async stop() {
      // Edge first, so nothing new comes in while the runner finishes its in-flight steps.
      for (const n of [...SERVICE_NAMES].reverse()) {
        await Promise.all(replicasOf(n).map((p) => p.stop()));
      }
      for (const b of [...balancers.values()].flat()) await b.stop();
      for (const n of SERVICE_NAMES) for (const p of replicasOf(n)) p.close();
    },
  };
}
