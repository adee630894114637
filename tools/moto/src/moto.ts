/**
 * A real KMS-compatible server for tests and local runs: moto's server mode (PyPI `moto[server]`,
 * pinned) in a Python venv cached under ~/.cache/weaver/moto-<version>, on 127.0.0.1. Started
 * detached so it outlives its starter; one already running from the same dataDir is reused.
 * moto keeps its keys in memory: a restart forgets them (tests create their own KMS keys).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { cacheRoot } from '../../s3proxy/src/paths';
import { answersHttp, isAlive, isPortFree, sleep } from '../../s3proxy/src/process';

export const MOTO_VERSION = '5.2.5';

export class MotoToolError extends Error {
  constructor(
    readonly code: 'BAD_ARGUMENT' | 'INSTALL_FAILED' | 'START_FAILED' | 'PORT_IN_USE',
    message: string,
  ) {
    super(message);
  }
}

export const venvDir = (): string => join(cacheRoot(), `moto-${MOTO_VERSION}`);
const python = (): string => join(venvDir(), 'bin', 'python');

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => out.push(c));
    child.on('error', (e) => done({ code: 127, output: e.message }));
    child.on('close', (code) => done({ code: code ?? 1, output: Buffer.concat(out).toString('utf8') }));
  });
}

/**
 * Installs moto into its venv once, with pip from PyPI (no host named here). Built in a staging
 * dir renamed into place, so an interrupted install never looks complete; run through
 * `python -m`, which works from the renamed venv (its scripts' shebangs would not).
 */
export async function installMoto(onProgress: (line: string) => void = () => undefined): Promise<string> {
  const dir = venvDir();
  if (existsSync(join(dir, '.complete'))) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  onProgress(`installing moto[server] ${MOTO_VERSION} into ${dir} (first time only)...`);
  const venv = await run('python3', ['-m', 'venv', staging]);
  if (venv.code !== 0) throw new MotoToolError('INSTALL_FAILED', `python3 -m venv failed (apt-get install python3-venv):\n${venv.output.slice(-2000)}`);
  const pip = await run(join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`]);
  if (pip.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new MotoToolError('INSTALL_FAILED', `pip could not install moto[server]==${MOTO_VERSION}:\n${pip.output.slice(-2000)}`);
  }
  writeFileSync(join(staging, '.complete'), `${MOTO_VERSION}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

export interface RunningMoto {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  readonly reused: boolean;
}

const stateFile = (dataDir: string): string => join(resolve(dataDir), 'moto.json');
const readState = (dataDir: string): { pid: number; port: number } | undefined => {
  try {
    return JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as { pid: number; port: number };
  } catch {
    return undefined;
  }
};
/** Guards against pid reuse: only our venv's python running moto.server counts. */
const isOurs = (pid: number): boolean => {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('moto.server');
  } catch {
    return false;
  }
};

export async function startMoto(opts: { port: number; dataDir: string; timeoutMs?: number; onProgress?: (line: string) => void }): Promise<RunningMoto> {
  const { port, dataDir } = opts;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MotoToolError('BAD_ARGUMENT', `port must be 1-65535, got ${port}`);
  const previous = readState(dataDir);
  if (previous && isOurs(previous.pid) && previous.port === port) return { endpoint: `http://127.0.0.1:${port}`, port, pid: previous.pid, reused: true };
  if (!(await isPortFree(port))) throw new MotoToolError('PORT_IN_USE', `port ${port} on 127.0.0.1 is in use by another process: choose another port`);
  await installMoto(opts.onProgress);
  mkdirSync(resolve(dataDir), { recursive: true });
  const log = join(resolve(dataDir), 'moto.log');
  appendFileSync(log, `\n===== weaver tools/moto: starting moto ${MOTO_VERSION} at ${new Date().toISOString()} =====\n`);
  const fd = openSync(log, 'a');
  let pid: number | undefined;
  try {
    const child = spawn(python(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { detached: true, stdio: ['ignore', fd, fd], cwd: resolve(dataDir) });
    pid = child.pid;
    child.unref();
  } finally {
    closeSync(fd);
  }
  if (pid === undefined) throw new MotoToolError('START_FAILED', `could not spawn ${python()}`);
  writeFileSync(stateFile(dataDir), JSON.stringify({ pid, port }));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (!isAlive(pid)) throw new MotoToolError('START_FAILED', `moto exited during startup; see ${log}:\n${readFileSync(log, 'utf8').slice(-2000)}`);
    if (await answersHttp(port)) return { endpoint: `http://127.0.0.1:${port}`, port, pid, reused: false };
    if (Date.now() > deadline) {
      await stopMoto(dataDir);
      throw new MotoToolError('START_FAILED', `moto did not answer on port ${port} in time; see ${log}`);
    }
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after 10 s; false when nothing of ours was running. */
export async function stopMoto(dataDir: string): Promise<boolean> {
  const state = readState(dataDir);
  rmSync(stateFile(dataDir), { force: true });
  if (!state || !isOurs(state.pid)) return false;
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isAlive(state.pid)) {
    if (Date.now() > deadline) process.kill(state.pid, 'SIGKILL');
    await sleep(50);
  }
  return true;
}
