import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

import { KafkaToolError } from './errors';
import { run } from './exec';

/** Where a secured broker's certificates live: `<dataDir>/security`, made once per dataDir. */
export interface DevCertificates {
  /** PEM of the development CA: what clients trust (KAFKA_TLS_CA_FILE). */
  readonly caFile: string;
  /** The broker's PKCS#8 key followed by its certificate: a PEM keystore (`ssl.keystore.type=PEM`). */
  readonly brokerKeystore: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const { code, output } = await run('openssl', args, cwd);
  if (code !== 0) throw new KafkaToolError('START_FAILED', `openssl ${args[0]} failed (exit ${code}): ${output.slice(-800)}`);
}

/**
 * A development CA and a broker certificate for 127.0.0.1/localhost, made with the `openssl`
 * CLI (no Java keystores: Kafka 3.x/4.x reads PEM). EC P-256 keys: fast to make on 2 cores.
 * The CA's key stays in the directory (mode 0600) so more certificates can be signed later,
 * which is acceptable for a loopback-only development broker and nothing else.
 */
export async function ensureDevCertificates(dir: string): Promise<DevCertificates> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'ca.pem');
  const brokerKeystore = join(dir, 'broker-keystore.pem');
  if (existsSync(caFile) && existsSync(brokerKeystore)) return { caFile, brokerKeystore };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=Weaver development Kafka CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  await openssl(['req', ...ec, '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyAgreement\n');
  await openssl(['x509', '-req', '-in', 'broker.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'broker.crt', '-days', '825', '-extfile', 'broker.ext'], dir);
  const keystore = readFileSync(join(dir, 'broker.key'), 'utf8') + readFileSync(join(dir, 'broker.crt'), 'utf8') + readFileSync(caFile, 'utf8');
  writeFileSync(brokerKeystore, keystore, { mode: 0o600 });
  for (const f of ['ca.key', 'broker.key']) chmodSync(join(dir, f), 0o600);
  return { caFile, brokerKeystore };
}
