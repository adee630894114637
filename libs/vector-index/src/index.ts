/** @weaver/vector-index — in-process similarity indexes behind one interface (see vector-index.ts). */
export * from './vector-index';
export { ExactIndex } from './exact-index';
export { UsearchIndex, type UsearchTuning } from './usearch-index';
export { defaultVectorIndex, DEFAULT_USEARCH_TUNING } from './default-index';
export { buildInBackground } from './background-build';
