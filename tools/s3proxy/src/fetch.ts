import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { INSTALL_HINT, S3ProxyToolError } from './errors';
import { completeMarker, libsDir, pomPath, S3PROXY_VERSION } from './paths';

export type Progress = (line: string) => void;

function run(command: string, args: readonly string[], cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new S3ProxyToolError('MISSING_COMMAND', `\`${command}\` is not on PATH; S3Proxy needs it. Install with: ${INSTALL_HINT}`) : error),
    );
    child.on('close', (code) => done({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

const tail = (text: string, lines: number): string => text.trimEnd().split('\n').slice(-lines).join('\n');

/**
 * Makes S3Proxy's jars available in the cache through Maven (so no download host is written
 * anywhere in the project). Idempotent: a complete cache returns at once; Maven writes into a
 * staging dir renamed into place, so an interrupted fetch never looks complete.
 */
export async function fetchS3Proxy(onProgress: Progress = () => undefined): Promise<{ libsDir: string; downloaded: boolean }> {
  const libs = libsDir();
  if (existsSync(completeMarker())) return { libsDir: libs, downloaded: false };
  const staging = `${libs}.partial-${process.pid}`;
  mkdirSync(dirname(libs), { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  onProgress(`downloading S3Proxy ${S3PROXY_VERSION} jars with Maven into ${libs} (first time only)...`);
  const pom = pomPath();
  const args = ['-B', '-q', '--no-transfer-progress', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'];
  const result = await run('mvn', args, dirname(pom));
  const jars = existsSync(staging) ? readdirSync(staging).filter((name) => name.endsWith('.jar')) : [];
  if (result.code !== 0 || !jars.includes(`s3proxy-${S3PROXY_VERSION}.jar`)) {
    rmSync(staging, { recursive: true, force: true });
    throw new S3ProxyToolError('FETCH_FAILED', `Maven could not fetch S3Proxy ${S3PROXY_VERSION} (exit ${result.code}):\n${tail(result.output, 20)}`);
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  writeFileSync(completeMarker(), `${jars.sort().join('\n')}\n`);
  onProgress(`S3Proxy ${S3PROXY_VERSION} ready: ${jars.length} jars`);
  return { libsDir: libs, downloaded: true };
}
