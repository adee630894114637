import type { Provider } from '@nestjs/common';
import { payloadCipherFromConfig, type CryptoConfig, type PayloadCipher } from '@weaver/crypto';
import type { DataSource } from 'typeorm';
import { SERVICE_CONFIG } from './service-config';
import { SERVICE_DATABASE } from './service-database.module';

/**
 * Injection token of the service's PayloadCipher (per-tenant envelope encryption). One per
 * process: its DataKeyCache is what keeps a step free of key round trips, so every store and
 * sealer of the service must share it.
 */
export const SERVICE_CIPHER = Symbol('weaver.service-cipher');

/**
 * The cipher built once from the service's config (it extends its schema with
 * `cryptoConfigSchema.shape`) over the service's database (keys.data_keys, read and created
 * lazily as weaver_app). PLAINTEXT when WEAVER_ENCRYPTION=off.
 */
export const serviceCipherProvider: Provider = {
  provide: SERVICE_CIPHER,
  inject: [SERVICE_CONFIG, SERVICE_DATABASE],
  useFactory: (config: CryptoConfig, ds: DataSource): PayloadCipher => payloadCipherFromConfig(ds, config),
};
