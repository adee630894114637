/**
 * @weaver/config — configuration validated once at start.
 *
 * Each service declares a zod schema keyed by environment variable names and calls
 * `loadConfig(schema)` in its composition root; the result is typed and immutable, and a bad
 * value stops the start with an error naming every variable and rule (documented in
 * `.env.example`). Nothing else in Weaver reads `process.env`.
 */
export * from './load-config';
export { z } from 'zod';
export * from './secret-file';
