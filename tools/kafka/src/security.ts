import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureDevCertificates } from './dev-ca';
import { KafkaToolError } from './errors';

/**
 * A secured broker (`startBroker({ security })`): one SASL_SSL listener (TLS with a development
 * CA; SCRAM-SHA-256 and -512), ACLs enforced by the StandardAuthorizer with nothing allowed
 * unless an ACL says so, and the controller listener behind SASL PLAIN on loopback.
 */
export interface SecurityOptions {
  /** SCRAM users besides `broker` and `admin` (e.g. one per service and tenant), created when the storage is formatted. */
  readonly users?: readonly string[];
}

/** What a client needs to connect to a secured broker. */
export interface BrokerSecurity {
  readonly caFile: string;
  /** Every SCRAM user's password (`admin` is a super user; `broker` is the broker's own). */
  readonly passwords: Readonly<Record<string, string>>;
  /** A file per user holding only its password (KAFKA_SASL_PASSWORD_FILE). */
  passwordFile(user: string): string;
}

export interface SecuredFiles {
  readonly dir: string;
  readonly caFile: string;
  readonly brokerKeystore: string;
  readonly passwords: Record<string, string>;
  readonly controllerPassword: string;
}

const USER = /^[a-zA-Z0-9._-]{1,64}$/;
const newPassword = (): string => randomBytes(18).toString('hex');

/**
 * Certificates and passwords under `<dataDir>/security` (mode 0600), made once: a reused
 * dataDir keeps its users, because SCRAM credentials are written into the storage at format time.
 */
export async function ensureSecuredFiles(dataDir: string, options: SecurityOptions, formatted: boolean): Promise<SecuredFiles> {
  const dir = join(dataDir, 'security');
  const certs = await ensureDevCertificates(dir);
  const usersFile = join(dir, 'users.json');
  const wanted = ['broker', 'admin', ...(options.users ?? [])];
  for (const u of wanted) if (!USER.test(u)) throw new KafkaToolError('BAD_ARGUMENT', `SCRAM user "${u}" must match [a-zA-Z0-9._-]{1,64}`);
  const known = existsSync(usersFile) ? (JSON.parse(readFileSync(usersFile, 'utf8')) as { passwords: Record<string, string>; controller: string }) : undefined;
  if (formatted && known === undefined) {
    throw new KafkaToolError('ALREADY_RUNNING', `${dataDir} holds a plaintext broker's storage; use another --data-dir for a secured broker (or delete this one)`);
  }
  const missing = wanted.filter((u) => known?.passwords[u] === undefined);
  if (formatted && missing.length > 0) {
    throw new KafkaToolError('BAD_ARGUMENT', `users ${missing.join(', ')} do not exist in ${dataDir}: SCRAM users are created when the storage is formatted; stop the broker and delete the dataDir to add users`);
  }
  const passwords = { ...known?.passwords };
  for (const u of missing) passwords[u] = newPassword();
  const controllerPassword = known?.controller ?? newPassword();
  writeFileSync(usersFile, JSON.stringify({ passwords, controller: controllerPassword }, null, 2), { mode: 0o600 });
  for (const [u, p] of Object.entries(passwords)) writeFileSync(join(dir, `${u}.password`), p, { mode: 0o600 });
  return { dir, caFile: certs.caFile, brokerKeystore: certs.brokerKeystore, passwords, controllerPassword };
}

export function brokerSecurityOf(files: SecuredFiles): BrokerSecurity {
  return { caFile: files.caFile, passwords: files.passwords, passwordFile: (user) => join(files.dir, `${user}.password`) };
}

/** `StorageTool format` arguments creating every user's SCRAM-SHA-256 and -512 credentials. */
export function scramFormatArgs(files: SecuredFiles): string[] {
  return Object.entries(files.passwords).flatMap(([name, password]) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${name},password=${password}]`]),
  );
}

/** The server.properties lines of the secured mode (they replace the plaintext listener lines). */
export function securedSettings(port: number, controllerPort: number, files: SecuredFiles): Array<[string, string | number]> {
  const scram = (user: string, password: string) => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${password}";`;
  const c = files.controllerPassword;
  return [
    ['listeners', `SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`],
    ['advertised.listeners', `SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`],
    ['listener.security.protocol.map', 'SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT'],
    ['inter.broker.listener.name', 'SASL_SSL'],
    ['sasl.enabled.mechanisms', 'SCRAM-SHA-256,SCRAM-SHA-512'],
    ['sasl.mechanism.inter.broker.protocol', 'SCRAM-SHA-512'],
    ['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config', scram('broker', files.passwords['broker'] ?? '')],
    ['listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config', 'org.apache.kafka.common.security.scram.ScramLoginModule required;'],
    // The controller listener is loopback only; PLAIN with a static user keeps ANONYMOUS out of it.
    ['sasl.mechanism.controller.protocol', 'PLAIN'],
    ['listener.name.controller.sasl.enabled.mechanisms', 'PLAIN'],
    ['listener.name.controller.plain.sasl.jaas.config', `org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="${c}" user_controller="${c}";`],
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', files.brokerKeystore],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', files.caFile],
    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    ['super.users', 'User:broker;User:controller;User:admin'],
    ['allow.everyone.if.no.acl.found', 'false'],
  ];
}
