/**
 * @weaver/errors — Weaver's typed error hierarchy.
 *
 * Throw a subclass of `WeaverError` (ValidationError, NotFoundError, ...) anywhere; the edges
 * (REST filters, gRPC handlers, the event layer) map `code` to a status with `httpStatusOf` /
 * `grpcStatusOf`, and use `retriable` to decide between retry and the dead-letter topic.
 */
export * from './weaver-error';
export * from './errors';
export * from './status-mapping';
export * from './public-error';
