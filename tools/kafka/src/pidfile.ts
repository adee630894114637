import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** What startBroker records next to the pid, so status/reuse know how to reach the broker. */
export interface BrokerState {
  readonly pid: number;
  readonly port: number;
  readonly controllerPort: number;
  readonly version: string;
  readonly brokerLog: string;
  readonly startedAt: string;
  /** true: the SASL_SSL listener with ACLs (tools/kafka/src/security.ts). */
  readonly secured?: boolean;
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function writePid(pidFile: string, pid: number): void {
  writeFileSync(pidFile, `${pid}\n`);
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

export function readState(stateFile: string): BrokerState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as BrokerState;
  } catch {
    return undefined; // A torn write from a killed start; treated as "no state".
  }
}

export function writeState(stateFile: string, state: BrokerState): void {
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    // EPERM: exists but owned by someone else; still "alive" for our purposes.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An exited child not yet reaped still answers kill(pid, 0); it is dead for us. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Guards against pid reuse after a reboot or crash: only a live process whose
 * command line is a Kafka broker started with this dataDir's config counts.
 * Without /proc (not Linux) fall back to plain liveness.
 */
export function isOurBroker(pid: number, serverProperties: string): boolean {
  if (!isAlive(pid)) return false;
  const cmdlineFile = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(cmdlineFile, 'utf8').split('\0');
    return args.includes('kafka.Kafka') && args.includes(serverProperties);
  } catch {
    return false;
  }
}
