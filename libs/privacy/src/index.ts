/**
 * @weaver/privacy — the right to erasure and to portability (issue 8 §7): export a tenant's or a
 * data subject's data as a documented bundle, and erase it (rows, result objects, cached
 * answers, and its data keys — crypto-shredding — so copies Weaver cannot delete, such as Kafka
 * log segments and backups, can no longer be read).
 */
export * from './party';
export * from './tables';
export * from './party-data';
// Tenants deleted through the admin API: the requests and the step that erases them.
export * from './tenant-erasures';
