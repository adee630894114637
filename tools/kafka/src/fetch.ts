import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { INSTALL_HINT, KafkaToolError } from './errors';
import { run, tail } from './exec';
import { completeMarker, kafkaHome, libsDir, pomPath } from './paths';
import { DEFAULT_KAFKA_VERSION, assertSupported, loggingFlavor, minimumJava } from './versions';

export type Progress = (line: string) => void;

/** Library default: one short line per phase on stderr, so stdout stays clean for callers. */
export const stderrProgress: Progress = (line) => process.stderr.write(`[kafka] ${line}\n`);

export interface FetchOptions {
  readonly version?: string;
  readonly onProgress?: Progress;
}

export interface FetchResult {
  readonly version: string;
  readonly libsDir: string;
  /** false when the cache was already complete and nothing ran. */
  readonly downloaded: boolean;
}

/** Returns the major Java version on PATH, or throws MISSING_COMMAND / JAVA_TOO_OLD. */
export async function checkJava(kafkaVersion: string): Promise<number> {
  const { code, output } = await run('java', ['-version']);
  // `java -version` prints e.g. `openjdk version "17.0.15"` or `"1.8.0_392"` on stderr.
  const quoted = /version "([^"]+)"/.exec(output)?.[1];
  const parts = (quoted ?? '').split('.');
  const major = parts[0] === '1' ? Number(parts[1]) : Number(parts[0]);
  if (code !== 0 || !Number.isFinite(major)) {
    throw new KafkaToolError('MISSING_COMMAND', `\`java -version\` failed:\n${tail(output, 5)}\nInstall with: ${INSTALL_HINT}`);
  }
  const needed = minimumJava(kafkaVersion);
  if (major < needed) {
    throw new KafkaToolError(
      'JAVA_TOO_OLD',
      `Kafka ${kafkaVersion} needs Java ${needed}+, but \`java\` on PATH is ${quoted}. Install with: ${INSTALL_HINT}`,
    );
  }
  return major;
}

/**
 * Makes the broker's jars available in the cache, via Maven so the project
 * never hard-codes a download host. Idempotent: a complete cache (marker file
 * present) returns at once. Maven writes into a temp dir that is renamed into
 * place, so an interrupted fetch never looks complete.
 */
export async function fetchKafka(options: FetchOptions = {}): Promise<FetchResult> {
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  const progress = options.onProgress ?? stderrProgress;
  assertSupported(version);
  const libs = libsDir(version);
  if (existsSync(completeMarker(version))) {
    return { version, libsDir: libs, downloaded: false };
  }

  const javaMajor = await checkJava(version);
  progress(`java ${javaMajor} found`);
  const mvn = await run('mvn', ['-v']);
  if (mvn.code !== 0) {
    throw new KafkaToolError('MISSING_COMMAND', `\`mvn -v\` failed:\n${tail(mvn.output, 5)}\nInstall with: ${INSTALL_HINT}`);
  }

  const home = kafkaHome(version);
  const staging = `${libs}.partial-${process.pid}`;
  mkdirSync(home, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  progress(`downloading Kafka ${version} jars with Maven into ${libs} (first time only)…`);
  const pom = pomPath();
  const result = await run(
    'mvn',
    [
      '-B',
      '-q',
      '--no-transfer-progress',
      '-Dstyle.color=never',
      '-f',
      pom,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
      `-Dkafka.version=${version}`,
      `-Dkafka.logging=${loggingFlavor(version)}`,
    ],
    dirname(pom),
  );
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new KafkaToolError(
      'FETCH_FAILED',
      `Maven could not fetch Kafka ${version} (exit ${result.code}). Is the version on Maven Central and the network up?\n${tail(result.output, 20)}`,
    );
  }
  const jars = readdirSync(staging).filter((name) => name.endsWith('.jar'));
  if (!jars.some((name) => name.startsWith(`kafka_2.13-${version}`))) {
    throw new KafkaToolError('FETCH_FAILED', `Maven finished but kafka_2.13-${version}.jar is not in ${staging}`);
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  writeFileSync(completeMarker(version), `${jars.sort().join('\n')}\n`);
  progress(`Kafka ${version} ready: ${jars.length} jars`);
  return { version, libsDir: libs, downloaded: true };
}
