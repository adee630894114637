import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { jvmOptions, loggingConfigPath, loggingJvmFlag } from './config';
import { KafkaToolError } from './errors';
import { run, tail } from './exec';
import type { BrokerPaths } from './paths';
import { loggingFlavor } from './versions';

/** JVM args shared by the storage tool and the broker: classpath + logging config. */
function baseArgs(libs: string, paths: BrokerPaths, version: string): string[] {
  const flavor = loggingFlavor(version);
  // Java expands a trailing "/*" itself, so no shell is involved.
  return [...jvmOptions(), loggingJvmFlag(flavor, loggingConfigPath(paths.dataDir, flavor)), '-cp', join(libs, '*')];
}

/** Kafka's own Uuid.randomUuid never starts with '-', because CLIs would read it as a flag. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function isFormatted(paths: BrokerPaths): boolean {
  return existsSync(join(paths.logDirs, 'meta.properties'));
}

/** `StorageTool format --standalone`: once per dataDir; a second format would refuse anyway. */
export async function formatStorage(libs: string, paths: BrokerPaths, version: string, extraArgs: readonly string[] = []): Promise<void> {
  const args = [
    ...baseArgs(libs, paths, version),
    'kafka.tools.StorageTool',
    'format',
    '--standalone',
    '-t',
    newClusterId(),
    '-c',
    paths.serverProperties,
    ...extraArgs,
  ];
  const { code, output } = await run('java', args);
  if (code !== 0) {
    throw new KafkaToolError('START_FAILED', `formatting ${paths.logDirs} failed (exit ${code}):\n${tail(output, 20)}`);
  }
}

export interface Launched {
  readonly pid: number;
  /** Becomes true as soon as the JVM exits, so readiness polling can fail fast. */
  readonly exited: () => boolean;
}

/**
 * Starts the broker detached (own process group, no stdio tie to us), so it
 * outlives the CLI that started it; stdout/stderr append to broker.log.
 */
export function launchBroker(libs: string, paths: BrokerPaths, version: string): Launched {
  mkdirSync(dirname(paths.brokerLog), { recursive: true });
  appendFileSync(paths.brokerLog, `\n===== weaver tools/kafka: starting Kafka ${version} at ${new Date().toISOString()} =====\n`);
  const logFd = openSync(paths.brokerLog, 'a');
  try {
    const child = spawn('java', [...baseArgs(libs, paths, version), 'kafka.Kafka', paths.serverProperties], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: paths.dataDir,
    });
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    child.once('error', () => {
      exited = true;
    });
    if (child.pid === undefined) {
      throw new KafkaToolError('START_FAILED', 'could not spawn `java` for the broker');
    }
    child.unref();
    return { pid: child.pid, exited: () => exited };
  } finally {
    closeSync(logFd);
  }
}

/** The part of broker.log written since `fromByte`, last `lines` lines — what a failed start needs shown. */
export function logTail(logFile: string, lines = 40, fromByte = 0): string {
  if (!existsSync(logFile)) return '(no broker log)';
  const start = fromByte > statSync(logFile).size ? 0 : fromByte;
  const text = readFileSync(logFile).subarray(start).toString('utf8');
  return tail(text, lines);
}
