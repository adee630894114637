import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Keep in sync with s3proxy.version in ../pom.xml. 4.x needs Java 17. */
export const S3PROXY_VERSION = '4.1.0';

/** ${WEAVER_CACHE_DIR:-$HOME/.cache/weaver}: shared by every checkout, so jars download once. */
export function cacheRoot(): string {
  const fromEnv = process.env['WEAVER_CACHE_DIR'];
  return fromEnv && fromEnv.length > 0 ? resolve(fromEnv) : join(homedir(), '.cache', 'weaver');
}

export const libsDir = (): string => join(cacheRoot(), 's3proxy', S3PROXY_VERSION, 'libs');
/** Written last by fetchS3Proxy; its presence means libs/ is complete. */
export const completeMarker = (): string => join(cacheRoot(), 's3proxy', S3PROXY_VERSION, '.complete');

export interface ProxyPaths {
  readonly dataDir: string;
  readonly blobs: string;
  readonly properties: string;
  readonly logbackConfig: string;
  readonly log: string;
  readonly pidFile: string;
  readonly stateFile: string;
}

export function proxyPaths(dataDir: string): ProxyPaths {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    blobs: join(dir, 'blobs'),
    properties: join(dir, 's3proxy.properties'),
    logbackConfig: join(dir, 'logback.xml'),
    log: join(dir, 's3proxy.log'),
    pidFile: join(dir, 's3proxy.pid'),
    stateFile: join(dir, 's3proxy.json'),
  };
}

/** tools/s3proxy/pom.xml: next to src/ for tsx and jest (CommonJS), else found from cwd upwards. */
export function pomPath(): string {
  const candidates = [join(__dirname, '..', 'pom.xml')];
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    candidates.push(join(dir, 'tools', 's3proxy', 'pom.xml'));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`tools/s3proxy/pom.xml not found (looked at ${candidates.slice(0, 3).join(', ')} ...)`);
  return found;
}
