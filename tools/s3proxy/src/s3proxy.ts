/**
 * A real S3-compatible server for tests and local runs: S3Proxy (org.gaul:s3proxy, Maven
 * Central) on 127.0.0.1, with a filesystem (default) or in-memory ("transient") backend. Started
 * detached so it outlives its starter; a proxy already running from the same dataDir is reused.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { S3ProxyToolError } from './errors';
import { fetchS3Proxy, type Progress } from './fetch';
import { S3PROXY_VERSION, libsDir, proxyPaths, type ProxyPaths } from './paths';
import { answersHttp, forget, isAlive, isOurProxy, isPortFree, readState, sleep, writeState, type ProxyState } from './process';

export { S3ProxyToolError, type S3ProxyToolErrorCode } from './errors';
export { fetchS3Proxy } from './fetch';
export { S3PROXY_VERSION } from './paths';

export interface StartS3ProxyOptions {
  readonly port: number;
  readonly dataDir: string;
  /** `filesystem` (default) keeps objects under dataDir/blobs; `transient` keeps them in memory. */
  readonly backend?: 'filesystem' | 'transient';
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** How long to wait for the JVM to serve; default 60 s (cold JVM on 2 cores). */
  readonly timeoutMs?: number;
  readonly onProgress?: Progress;
}

export interface RunningS3Proxy {
  /** e.g. http://127.0.0.1:9000 — use with forcePathStyle. */
  readonly endpoint: string;
  /** Any region works; S3Proxy does not check it. */
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  readonly reused: boolean;
  stop(): Promise<void>;
}

const running = (paths: ProxyPaths, state: ProxyState, reused: boolean): RunningS3Proxy => ({
  endpoint: `http://127.0.0.1:${state.port}`,
  region: 'us-east-1',
  accessKeyId: state.accessKeyId,
  secretAccessKey: state.secretAccessKey,
  port: state.port,
  pid: state.pid,
  logFile: paths.log,
  reused,
  stop: async () => {
    await stopS3Proxy(paths.dataDir);
  },
});

function writeConfig(paths: ProxyPaths, state: Omit<ProxyState, 'pid' | 'startedAt'>): void {
  const lines = [
    `s3proxy.endpoint=http://127.0.0.1:${state.port}`,
    's3proxy.authorization=aws-v2-or-v4',
    `s3proxy.identity=${state.accessKeyId}`,
    `s3proxy.credential=${state.secretAccessKey}`,
    `jclouds.provider=${state.backend}`,
    ...(state.backend === 'filesystem' ? [`jclouds.filesystem.basedir=${paths.blobs}`] : []),
  ];
  writeFileSync(paths.properties, `${lines.join('\n')}\n`, { mode: 0o600 });
  // logback's built-in default is DEBUG for everything: megabytes per test run.
  writeFileSync(
    paths.logbackConfig,
    '<configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder></appender><root level="WARN"><appender-ref ref="out"/></root></configuration>\n',
  );
}

const logTail = (file: string, lines = 30): string => readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');

export async function startS3Proxy(options: StartS3ProxyOptions): Promise<RunningS3Proxy> {
  const paths = proxyPaths(options.dataDir);
  const { port } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new S3ProxyToolError('BAD_ARGUMENT', `port must be 1-65535, got ${port}`);
  const previous = readState(paths.stateFile);
  if (previous !== undefined && isOurProxy(previous.pid, paths.properties)) {
    if (previous.port !== port) {
      throw new S3ProxyToolError('ALREADY_RUNNING', `S3Proxy (pid ${previous.pid}) already runs from ${paths.dataDir} on port ${previous.port}; stop it first to use port ${port}`);
    }
    return running(paths, previous, true);
  }
  forget(paths.pidFile, paths.stateFile);
  if (!(await isPortFree(port))) throw new S3ProxyToolError('PORT_IN_USE', `port ${port} on 127.0.0.1 is in use by another process: choose another port`);

  await fetchS3Proxy(options.onProgress);
  const backend = options.backend ?? 'filesystem';
  const config = { port, backend, accessKeyId: options.accessKeyId ?? 'weaver', secretAccessKey: options.secretAccessKey ?? 'weaver-secret' } as const;
  mkdirSync(paths.blobs, { recursive: true });
  writeConfig(paths, config);
  appendFileSync(paths.log, `\n===== weaver tools/s3proxy: starting S3Proxy ${S3PROXY_VERSION} at ${new Date().toISOString()} =====\n`);
  const logFd = openSync(paths.log, 'a');
  let exited = false;
  let pid: number | undefined;
  try {
    const jvm = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlogback.configurationFile=${paths.logbackConfig}`];
    // Java expands the trailing "/*" of the classpath itself, so no shell is involved.
    const child = spawn('java', [...jvm, '-cp', join(libsDir(), '*'), 'org.gaul.s3proxy.Main', '--properties', paths.properties], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: paths.dataDir,
    });
    child.once('exit', () => (exited = true));
    child.once('error', () => (exited = true));
    pid = child.pid;
    child.unref();
  } finally {
    closeSync(logFd);
  }
  if (pid === undefined) throw new S3ProxyToolError('START_FAILED', 'could not spawn `java` for S3Proxy (is Java 17+ installed?)');
  const state: ProxyState = { ...config, pid, startedAt: new Date().toISOString() };
  writeFileSync(paths.pidFile, `${pid}\n`);
  writeState(paths.stateFile, state);

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited || !isAlive(pid)) {
      forget(paths.pidFile, paths.stateFile);
      throw new S3ProxyToolError('START_FAILED', `S3Proxy exited during startup. Last lines of ${paths.log}:\n${logTail(paths.log)}`);
    }
    if (await answersHttp(port)) return running(paths, state, false);
    if (Date.now() > deadline) {
      await stopS3Proxy(paths.dataDir);
      throw new S3ProxyToolError('START_TIMEOUT', `S3Proxy did not answer on port ${port} in time. Last lines of ${paths.log}:\n${logTail(paths.log)}`);
    }
    await sleep(200);
  }
}

/** SIGTERM, then SIGKILL after `timeoutMs`; returns false when nothing was running. */
export async function stopS3Proxy(dataDir: string, timeoutMs = 15_000): Promise<boolean> {
  const paths = proxyPaths(dataDir);
  const state = readState(paths.stateFile);
  if (state === undefined || !isOurProxy(state.pid, paths.properties)) {
    forget(paths.pidFile, paths.stateFile);
    return false;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(state.pid)) {
    if (Date.now() > deadline) process.kill(state.pid, 'SIGKILL');
    if (Date.now() > deadline + 5_000) throw new S3ProxyToolError('STOP_FAILED', `S3Proxy (pid ${state.pid}) did not exit`);
    await sleep(100);
  }
  forget(paths.pidFile, paths.stateFile);
  return true;
}

export type S3ProxyStatus = { readonly state: 'stopped'; readonly dataDir: string } | ({ readonly state: 'running'; readonly dataDir: string } & ProxyState);

export function s3ProxyStatus(dataDir: string): S3ProxyStatus {
  const paths = proxyPaths(dataDir);
  const state = readState(paths.stateFile);
  if (state === undefined || !isOurProxy(state.pid, paths.properties)) return { state: 'stopped', dataDir: paths.dataDir };
  return { state: 'running', dataDir: paths.dataDir, ...state };
}
