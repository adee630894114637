import { stopBroker } from '../kafka/src/broker';
import { stopPostgres } from '../postgres/src/embedded';
import { stopMoto } from '../moto/src/moto';
import { TEST_KAFKA_DIR, TEST_MOTO_DIR, TEST_PG_DIR } from './global-setup';

/** Stops the servers this run's global setup started (not reused ones), unless WEAVER_TEST_KEEP=1. */
export default async function globalTeardown(): Promise<void> {
  if (process.env['WEAVER_TEST_KEEP'] === '1') return;
  const started = (process.env['WEAVER_TEST_STARTED'] ?? '').split(',');
  await Promise.all([started.includes('kafka') ? stopBroker(TEST_KAFKA_DIR) : null, started.includes('postgres') ? stopPostgres(TEST_PG_DIR) : null, started.includes('moto') ? stopMoto(TEST_MOTO_DIR) : null]);
}
