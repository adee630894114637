/** @weaver/vector-index — in-process similarity indexes behind one interface (see vector-index.ts). */
export * from './vector-index';
export { ExactIndex } from './exact-index';
