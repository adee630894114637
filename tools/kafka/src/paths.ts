import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** ${WEAVER_CACHE_DIR:-$HOME/.cache/weaver}: shared by every checkout on the machine, so jars download once. */
export function cacheRoot(): string {
  const fromEnv = process.env['WEAVER_CACHE_DIR'];
  return fromEnv && fromEnv.length > 0 ? resolve(fromEnv) : join(homedir(), '.cache', 'weaver');
}

export function kafkaHome(version: string): string {
  return join(cacheRoot(), 'kafka', version);
}

export function libsDir(version: string): string {
  return join(kafkaHome(version), 'libs');
}

/** Written last by fetchKafka; its presence means libs/ is complete. */
export function completeMarker(version: string): string {
  return join(kafkaHome(version), '.complete');
}

/**
 * Finds tools/kafka/pom.xml. __dirname covers tsx and jest (both CommonJS
 * here); walking up from cwd covers anything that bundles or relocates this
 * file. WEAVER_KAFKA_POM is an explicit escape hatch.
 */
export function pomPath(): string {
  const candidates: string[] = [];
  const fromEnv = process.env['WEAVER_KAFKA_POM'];
  if (fromEnv) candidates.push(resolve(fromEnv));
  if (typeof __dirname !== 'undefined') candidates.push(join(__dirname, '..', 'pom.xml'));
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    candidates.push(join(dir, 'tools', 'kafka', 'pom.xml'));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`tools/kafka/pom.xml not found (looked at: ${candidates.slice(0, 3).join(', ')} …); set WEAVER_KAFKA_POM`);
  }
  return found;
}

/** Everything a broker writes lives under its dataDir, so one rm -rf resets it. */
export interface BrokerPaths {
  readonly dataDir: string;
  readonly logDirs: string;
  readonly serverProperties: string;
  readonly pidFile: string;
  readonly stateFile: string;
  readonly brokerLog: string;
}

export function brokerPaths(dataDir: string, logDir?: string): BrokerPaths {
  const root = resolve(dataDir);
  const logs = resolve(logDir ?? root);
  return {
    dataDir: root,
    logDirs: join(root, 'data'),
    serverProperties: join(root, 'server.properties'),
    pidFile: join(root, 'broker.pid'),
    stateFile: join(root, 'broker.json'),
    brokerLog: join(logs, 'broker.log'),
  };
}
