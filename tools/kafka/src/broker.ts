/**
 * Weaver's local Kafka broker: a real single-node KRaft Kafka run from jars
 * that Maven fetches into the user cache. Used by the CLI (cli.ts), jest
 * global setup and benchmarks. No Docker and no fake broker, by design.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

import { loggingConfigPath, renderLoggingConfig, renderServerProperties } from './config';
import { KafkaToolError } from './errors';
import { fetchKafka, stderrProgress, type Progress } from './fetch';
import { formatStorage, isFormatted, launchBroker, logTail } from './launch';
import { brokerPaths, type BrokerPaths } from './paths';
import { isAlive, isOurBroker, readPid, readState, removeFile, writePid, writeState, type BrokerState } from './pidfile';
import { canConnect, isPortFree, servesKafka, sleep, warmGroupCoordinator, type ProbeAuth } from './ready';
import { brokerSecurityOf, ensureSecuredFiles, scramFormatArgs, securedSettings, type BrokerSecurity, type SecurityOptions } from './security';
import { DEFAULT_KAFKA_VERSION, loggingFlavor } from './versions';

export { DEFAULT_KAFKA_VERSION } from './versions';
export { KafkaToolError, type KafkaToolErrorCode } from './errors';
export { fetchKafka, type FetchOptions, type FetchResult, type Progress } from './fetch';
export { cacheRoot, libsDir } from './paths';
export type { BrokerSecurity, SecurityOptions } from './security';

export interface StartOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Defaults to the one used last time for this dataDir, else port + 1. */
  readonly controllerPort?: number;
  readonly version?: string;
  /** Where broker.log goes; defaults to dataDir. */
  readonly logDir?: string;
  /** How long to wait for the broker to serve requests; default 90 s (cold JVM on 2 cores). */
  readonly timeoutMs?: number;
  readonly onProgress?: Progress;
  /**
   * Secured mode: SASL_SSL (TLS + SCRAM) instead of PLAINTEXT, ACLs enforced, these SCRAM users.
   * A dataDir is either plaintext or secured for its whole life (users are made at format time).
   */
  readonly security?: SecurityOptions;
}

export interface RunningBroker {
  /** kafkajs `brokers` entry, e.g. "127.0.0.1:9092". */
  readonly brokers: string;
  readonly pid: number;
  readonly port: number;
  readonly version: string;
  readonly logFile: string;
  /** true when an already-running broker for this dataDir was reused. */
  readonly reused: boolean;
  /** Secured mode: the CA to trust and the SCRAM users' passwords. */
  readonly security?: BrokerSecurity;
  stop(): Promise<void>;
}

export interface StopOptions {
  /** Grace period after SIGTERM before SIGKILL; default 30 s (controlled shutdown). */
  readonly timeoutMs?: number;
}

export type BrokerStatus =
  | { readonly state: 'stopped'; readonly dataDir: string }
  | {
      readonly state: 'running' | 'starting';
      readonly dataDir: string;
      readonly pid: number;
      readonly brokers: string;
      readonly version: string;
      readonly logFile: string;
    };

const brokersOf = (port: number): string => `127.0.0.1:${port}`;

function runningBroker(paths: BrokerPaths, state: BrokerState, reused: boolean, security?: BrokerSecurity): RunningBroker {
  return {
    ...(security ? { security } : {}),
    brokers: brokersOf(state.port),
    pid: state.pid,
    port: state.port,
    version: state.version,
    logFile: state.brokerLog,
    reused,
    stop: async () => {
      await stopBroker(paths.dataDir);
    },
  };
}

/** Polls until the broker answers Kafka requests; fails fast if the JVM dies. */
async function waitUntilServing(
  state: BrokerState,
  deadline: number,
  exited: () => boolean,
  logFrom: number,
  auth: ProbeAuth = {},
): Promise<void> {
  for (;;) {
    if (exited() || !isAlive(state.pid)) {
      throw new KafkaToolError(
        'START_FAILED',
        `Kafka ${state.version} exited during startup. Last lines of ${state.brokerLog}:\n${logTail(state.brokerLog, 40, logFrom)}`,
      );
    }
    if ((await canConnect(state.port)) && (await servesKafka(brokersOf(state.port), 3000, auth))) {
      await warmGroupCoordinator(brokersOf(state.port), deadline, auth).catch((error: unknown) => {
        throw new KafkaToolError('START_TIMEOUT', `Kafka ${state.version} serves but its group coordinator never became available: ${String(error)}`);
      });
      return;
    }
    if (Date.now() > deadline) {
      throw new KafkaToolError(
        'START_TIMEOUT',
        `Kafka ${state.version} (pid ${state.pid}) did not serve on ${brokersOf(state.port)} in time. Last lines of ${state.brokerLog}:\n${logTail(state.brokerLog, 40, logFrom)}`,
      );
    }
    await sleep(300);
  }
}

/** An already-running broker for this dataDir, reused if it matches the request. */
async function reuseExisting(paths: BrokerPaths, options: StartOptions, deadline: number): Promise<RunningBroker | undefined> {
  const secured = options.security !== undefined;
  const pid = readPid(paths.pidFile);
  const state = readState(paths.stateFile);
  if (pid === undefined || state === undefined || state.pid !== pid || !isOurBroker(pid, paths.serverProperties)) {
    // A stale pid from a crash or reboot. broker.json stays: it remembers the controller port.
    removeFile(paths.pidFile);
    return undefined;
  }
  const wantedVersion = options.version ?? state.version;
  if (state.port !== options.port || state.version !== wantedVersion || (state.secured ?? false) !== secured) {
    throw new KafkaToolError(
      'ALREADY_RUNNING',
      `a ${state.secured ? 'secured' : 'plaintext'} Kafka ${state.version} broker (pid ${pid}) already runs from ${paths.dataDir} on port ${state.port}; ` +
        `stop it first to start ${secured ? 'a secured' : 'a plaintext'} Kafka ${wantedVersion} on port ${options.port}`,
    );
  }
  const files = secured ? await ensureSecuredFiles(paths.dataDir, options.security ?? {}, true) : undefined;
  await waitUntilServing(state, deadline, () => false, 0, files ? probeAuth(files.caFile, files.passwords['admin'] ?? '') : {});
  return runningBroker(paths, state, true, files ? brokerSecurityOf(files) : undefined);
}

async function assertPortFree(port: number, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new KafkaToolError('PORT_IN_USE', `${what} port 127.0.0.1:${port} is already in use by another process; choose another with --port`);
  }
}

/**
 * Starts (or reuses) a single-node KRaft broker on 127.0.0.1:port whose
 * state lives in dataDir. Resolves once the broker serves Kafka requests.
 */
export async function startBroker(options: StartOptions): Promise<RunningBroker> {
  const paths = brokerPaths(options.dataDir, options.logDir);
  const progress = options.onProgress ?? stderrProgress;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  mkdirSync(paths.dataDir, { recursive: true });

  const reused = await reuseExisting(paths, options, deadline);
  if (reused) {
    progress(`reusing Kafka ${reused.version} already running on ${reused.brokers} (pid ${reused.pid})`);
    return reused;
  }

  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  const { libsDir } = await fetchKafka({ version, onProgress: progress });
  const previous = readState(paths.stateFile);
  const controllerPort = options.controllerPort ?? previous?.controllerPort ?? options.port + 1;
  if (controllerPort === options.port) {
    throw new KafkaToolError('BAD_ARGUMENT', `the controller port must differ from the broker port (${options.port})`);
  }
  await assertPortFree(options.port, 'broker');
  await assertPortFree(controllerPort, 'controller');

  mkdirSync(paths.logDirs, { recursive: true });
  const formatted = isFormatted(paths);
  const files = options.security ? await ensureSecuredFiles(paths.dataDir, options.security, formatted) : undefined;
  const secured = files ? securedSettings(options.port, controllerPort, files) : undefined;
  // Secured: the file holds the broker's and controller's passwords.
  writeFileSync(paths.serverProperties, renderServerProperties({ port: options.port, controllerPort, logDirs: paths.logDirs, secured }), { mode: 0o600 });
  const flavor = loggingFlavor(version);
  writeFileSync(loggingConfigPath(paths.dataDir, flavor), renderLoggingConfig(flavor));
  if (!formatted) {
    progress(`formatting storage in ${paths.logDirs}${files ? ` with SCRAM users ${Object.keys(files.passwords).join(', ')}` : ''}`);
    await formatStorage(libsDir, paths, version, files ? scramFormatArgs(files) : []);
  } else if (!files && isSecuredStorage(paths)) {
    throw new KafkaToolError('ALREADY_RUNNING', `${paths.dataDir} holds a secured broker's storage; start it with security or use another --data-dir`);
  }

  const logFrom = existsSync(paths.brokerLog) ? statSync(paths.brokerLog).size : 0;
  progress(`starting Kafka ${version} on ${brokersOf(options.port)} (log: ${paths.brokerLog})`);
  const launched = launchBroker(libsDir, paths, version);
  const state: BrokerState = {
    pid: launched.pid,
    port: options.port,
    controllerPort,
    version,
    brokerLog: paths.brokerLog,
    startedAt: new Date().toISOString(),
    ...(files ? { secured: true } : {}),
  };
  writePid(paths.pidFile, launched.pid);
  writeState(paths.stateFile, state);
  try {
    await waitUntilServing(state, deadline, launched.exited, logFrom, files ? probeAuth(files.caFile, files.passwords['admin'] ?? '') : {});
  } catch (error) {
    await stopBroker(paths.dataDir, { timeoutMs: 5_000 });
    throw error;
  }
  progress(`Kafka ${version} is serving on ${brokersOf(options.port)}${files ? ' (SASL_SSL, ACLs)' : ''} (pid ${launched.pid})`);
  return runningBroker(paths, state, false, files ? brokerSecurityOf(files) : undefined);
}

/** The readiness probe of a secured broker connects as its super user `admin`. */
function probeAuth(caFile: string, adminPassword: string): ProbeAuth {
  return { ssl: { ca: readFileSync(caFile, 'utf8') }, sasl: { mechanism: 'scram-sha-512', username: 'admin', password: adminPassword } };
}

function securedProbeAuth(paths: BrokerPaths): ProbeAuth {
  const users = JSON.parse(readFileSync(`${paths.dataDir}/security/users.json`, 'utf8')) as { passwords: Record<string, string> };
  return probeAuth(`${paths.dataDir}/security/ca.pem`, users.passwords['admin'] ?? '');
}

function isSecuredStorage(paths: BrokerPaths): boolean {
  return existsSync(`${paths.dataDir}/security/users.json`);
}

/**
 * SIGTERM (Kafka's controlled shutdown), then SIGKILL after the grace period.
 * Idempotent: a missing or stale pid file just gets cleaned up.
 * Resolves true if a broker was running.
 */
export async function stopBroker(dataDir: string, options: StopOptions = {}): Promise<boolean> {
  const paths = brokerPaths(dataDir);
  const pid = readPid(paths.pidFile);
  const ours = pid !== undefined && isOurBroker(pid, paths.serverProperties);
  if (pid !== undefined && ours) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (isAlive(pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(pid)) {
      process.kill(pid, 'SIGKILL');
      const killDeadline = Date.now() + 5_000;
      while (isAlive(pid) && Date.now() < killDeadline) await sleep(100);
      if (isAlive(pid)) throw new KafkaToolError('STOP_FAILED', `Kafka broker pid ${pid} survived SIGKILL`);
    }
  }
  removeFile(paths.pidFile);
  // broker.json keeps controllerPort for the next start, so only the pid inside it is stale now.
  return ours;
}

/** Reads the pid file and probes the port; never starts or stops anything. */
export async function brokerStatus(dataDir: string): Promise<BrokerStatus> {
  const paths = brokerPaths(dataDir);
  const pid = readPid(paths.pidFile);
  const state = readState(paths.stateFile);
  if (pid === undefined || state === undefined || !isOurBroker(pid, paths.serverProperties)) {
    return { state: 'stopped', dataDir: paths.dataDir };
  }
  const brokers = brokersOf(state.port);
  const auth = state.secured ? securedProbeAuth(paths) : {};
  const serving = (await canConnect(state.port)) && (await servesKafka(brokers, 3000, auth));
  return {
    state: serving ? 'running' : 'starting',
    dataDir: paths.dataDir,
    pid,
    brokers,
    version: state.version,
    logFile: state.brokerLog,
  };
}
