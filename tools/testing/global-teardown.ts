import { stopBroker } from '../kafka/src/broker';
import { stopPostgres } from '../postgres/src/embedded';
import { TEST_KAFKA_DIR, TEST_PG_DIR } from './global-setup';

/** Stops the servers the global setup started, unless WEAVER_TEST_KEEP=1 (keep them for the next run). */
export default async function globalTeardown(): Promise<void> {
  if (process.env['WEAVER_TEST_KEEP'] === '1') return;
  await Promise.all([stopBroker(TEST_KAFKA_DIR), stopPostgres(TEST_PG_DIR)]);
}
