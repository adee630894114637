import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { KafkaToolError } from './errors';
import { run, tail } from './exec';
import { checkJava, stderrProgress, type Progress } from './fetch';
import { cacheRoot, pomPath } from './paths';

/**
 * The MirrorMaker 2 release the project runs. Not the broker's 4.4.0: the Maven repository
 * reachable here has connect-runtime 4.4.0 but no connect-mirror 4.4.0 (resolution fails with
 * "Could not find artifact org.apache.kafka:connect-mirror:jar:4.4.0"), and 4.3.1 is the newest
 * connect-mirror it has. MM2 is only a client of both clusters, and Kafka clients talk to brokers
 * of newer versions over the negotiated protocol (KIP-35), so 4.3.1 against 4.4.0 brokers is a
 * supported combination. Move it to the broker's version when connect-mirror 4.4.x resolves.
 * Keep tools/kafka/mirror-pom.xml's <mirror.version> in sync.
 */
export const MIRROR_MAKER_VERSION = '4.3.1';

export function mirrorLibsDir(version: string = MIRROR_MAKER_VERSION): string {
  return join(cacheRoot(), 'kafka-mirror', version, 'libs');
}

function mirrorPomPath(): string {
  return join(dirname(pomPath()), 'mirror-pom.xml');
}

/**
 * MirrorMaker 2's jars in ~/.cache/weaver/kafka-mirror/<version>/libs, through Maven like the
 * broker's (no download host in the project). Idempotent; staged then renamed, so an interrupted
 * fetch never looks complete.
 */
export async function fetchMirrorMaker(options: { version?: string; onProgress?: Progress } = {}): Promise<string> {
  const version = options.version ?? MIRROR_MAKER_VERSION;
  const progress = options.onProgress ?? stderrProgress;
  const libs = mirrorLibsDir(version);
  const marker = join(dirname(libs), '.complete');
  if (existsSync(marker)) return libs;
  await checkJava(version);
  const staging = `${libs}.partial-${process.pid}`;
  mkdirSync(dirname(libs), { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  progress(`downloading MirrorMaker 2 ${version} jars with Maven into ${libs} (first time only)…`);
  const pom = mirrorPomPath();
  const result = await run(
    'mvn',
    ['-B', '-q', '--no-transfer-progress', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime', `-Dmirror.version=${version}`],
    dirname(pom),
  );
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new KafkaToolError('FETCH_FAILED', `Maven could not fetch connect-mirror ${version} (exit ${result.code}):\n${tail(result.output, 20)}`);
  }
  const jars = readdirSync(staging).filter((name) => name.endsWith('.jar'));
  if (!jars.includes(`connect-mirror-${version}.jar`)) {
    throw new KafkaToolError('FETCH_FAILED', `Maven finished but connect-mirror-${version}.jar is not in ${staging}`);
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  writeFileSync(marker, `${jars.sort().join('\n')}\n`);
  progress(`MirrorMaker 2 ${version} ready: ${jars.length} jars`);
  return libs;
}
