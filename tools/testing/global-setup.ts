/**
 * Jest global setup for integration tests: one real Kafka broker and one real PostgreSQL for
 * the whole run (not per test), and the development certificates for gRPC mutual TLS. Test files create their own topics and databases with random
 * names, so they can run side by side. Both servers are reused if already running from the
 * same data dirs (fast local iteration); the teardown stops the ones this run started unless WEAVER_TEST_KEEP=1.
 */
import { join } from 'node:path';
import { startBroker } from '../kafka/src/broker';
import { startPostgres } from '../postgres/src/embedded';
import { ensureDevCertificates } from '../certs/src/dev-certificates';
import { ensureAuditSigningKeyFile } from '../certs/src/audit-signing-key';
import { SERVICE_IDENTITIES } from '../../libs/service-kit/src/service-identity';
import { startMoto } from '../moto/src/moto';

const root = join(__dirname, '..', '..', '.weaver', 'test');
export const TEST_KAFKA_DIR = join(root, 'kafka');
export const TEST_PG_DIR = join(root, 'postgres');
export const TEST_CERTS_DIR = join(root, 'certs');
/** The KMS-compatible server (moto) for AwsKms tests; keys live in its memory only. */
export const TEST_MOTO_DIR = join(root, 'moto');
const kafkaPort = Number(process.env['WEAVER_TEST_KAFKA_PORT'] ?? 19092);
const pgPort = Number(process.env['WEAVER_TEST_PG_PORT'] ?? 15432);
const motoPort = Number(process.env['WEAVER_TEST_MOTO_PORT'] ?? pgPort + 7);

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const say = (line: string): void => void process.stderr.write(`[test-setup] ${line}\n`);
  say(`starting Kafka (port ${kafkaPort}) and PostgreSQL (port ${pgPort}) for the integration tests...`);
  const [broker, pg, moto] = await Promise.all([
    startBroker({ dataDir: TEST_KAFKA_DIR, port: kafkaPort, onProgress: (l: string) => say(`kafka: ${l}`) }),
    startPostgres({ dataDir: TEST_PG_DIR, port: pgPort, durability: 'fast' }),
    startMoto({ dataDir: TEST_MOTO_DIR, port: motoPort, onProgress: (l: string) => say(`moto: ${l}`) }),
  ]);
  process.env['WEAVER_TEST_KAFKA_BROKERS'] = broker.brokers;
  process.env['WEAVER_TEST_PG_URL'] = pg.superuserUrl;
  // gRPC is mutual TLS in tests as everywhere: one development CA for the run (cached).
  process.env['WEAVER_TEST_CERTS_DIR'] = ensureDevCertificates(TEST_CERTS_DIR, SERVICE_IDENTITIES).dir;
  process.env['WEAVER_TEST_KMS_ENDPOINT'] = moto.endpoint;
  // The audit checkpoints' Ed25519 signing key, made once and kept like the certificates.
  process.env['WEAVER_TEST_AUDIT_KEY_FILE'] = ensureAuditSigningKeyFile(join(root, 'audit-signing-key.pem'));
  // Where the servers keep their files, for tests that scan them (the encryption canary).
  process.env['WEAVER_TEST_PG_DIR'] = TEST_PG_DIR;
  process.env['WEAVER_TEST_KAFKA_DIR'] = TEST_KAFKA_DIR;
  // The teardown stops only what this run started: a reused server belongs to someone else.
  process.env['WEAVER_TEST_STARTED'] = [broker.reused ? '' : 'kafka', pg.reused ? '' : 'postgres', moto.reused ? '' : 'moto'].filter(Boolean).join(',');
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s: kafka ${broker.brokers} (${broker.version}${broker.reused ? ', reused' : ''}), postgres ${pg.port}${pg.reused ? ' (reused)' : ''}, kms ${moto.endpoint}${moto.reused ? ' (reused)' : ''}`);
}
