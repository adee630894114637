/**
 * The one importer of Cedar: its Node build (CommonJS, synchronous wasm instantiation), so the
 * engine evaluates in process with no start-up await. Everything else uses these re-exports.
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

export type { DetailedError, EntityJson, SchemaJson, SourceLabel } from '@cedar-policy/cedar-wasm/nodejs';
export { cedar };
