import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * api_keys.roles: what access policies test as `principal.roles` (issue 10). Existing keys
 * become `runner` (start and read runs and results of their tenant), what every key could do
 * before policies existed.
 */
export class ApiKeyRoles1766000000001 implements MigrationInterface {
  name = 'ApiKeyRoles1766000000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE tenancy.api_keys ADD COLUMN roles text[] NOT NULL DEFAULT '{runner}' CHECK (cardinality(roles) BETWEEN 1 AND 16)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('ALTER TABLE tenancy.api_keys DROP COLUMN roles');
  }
}
