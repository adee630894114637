import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { jvmOptions, renderLoggingConfig } from './config';
import { KafkaToolError } from './errors';
import { renderMirrorProperties, type MirrorConfigInput } from './mirror-config';
import { fetchMirrorMaker } from './mirror-fetch';
import type { Progress } from './fetch';

export { renderMirrorProperties, type MirrorConfigInput, type MirrorRegion } from './mirror-config';
export { MIRROR_MAKER_VERSION, fetchMirrorMaker, mirrorLibsDir } from './mirror-fetch';

export interface StartMirrorOptions extends MirrorConfigInput {
  /** Holds mm2.properties, the logging config and mirror-maker.log. */
  readonly dataDir: string;
  readonly onProgress?: Progress;
}

export interface RunningMirrorMaker {
  readonly pid: number;
  readonly logFile: string;
  readonly propertiesFile: string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the JVM has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Runs MirrorMaker 2 in dedicated mode — what Kafka's `connect-mirror-maker.sh mm2.properties`
 * does: `java -cp libs/* org.apache.kafka.connect.mirror.MirrorMaker mm2.properties`. A child of
 * the caller (not detached): a test or dev session that starts it owns it and stops it. MM2 has
 * no readiness signal of its own in dedicated mode; callers wait for a record to cross.
 */
export async function startMirrorMaker(options: StartMirrorOptions): Promise<RunningMirrorMaker> {
  const libs = await fetchMirrorMaker(options.onProgress ? { onProgress: options.onProgress } : {});
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const propertiesFile = join(dir, 'mm2.properties');
  const loggingFile = join(dir, 'log4j2.properties');
  const logFile = join(dir, 'mirror-maker.log');
  writeFileSync(propertiesFile, renderMirrorProperties(options));
  writeFileSync(loggingFile, renderLoggingConfig('log4j2'));
  appendFileSync(logFile, `\n===== weaver tools/kafka: starting MirrorMaker 2 at ${new Date().toISOString()} =====\n`);
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('java', [...jvmOptions(), `-Dlog4j2.configurationFile=${loggingFile}`, '-cp', join(libs, '*'), 'org.apache.kafka.connect.mirror.MirrorMaker', propertiesFile], {
      stdio: ['ignore', logFd, logFd],
      cwd: dir,
    });
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new KafkaToolError('START_FAILED', 'could not spawn `java` for MirrorMaker 2');
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    pid,
    logFile,
    propertiesFile,
    async stop(timeoutMs = 20_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
