/**
 * Where result bytes live. Drivers only move bytes under a key; idempotency (one object and one
 * row per tenant, run and step) is ResultPublisher's job, which claims the key in PostgreSQL
 * before it writes, so a driver's write may simply replace whatever an aborted attempt left.
 */
export interface ResultStore {
  /** "filesystem" or "s3": recorded in logs and metrics. */
  readonly kind: string;
  /** Writes the whole object atomically (readers see the old object or the new one, never a part). */
  write(objectKey: string, data: Buffer, contentType: string): Promise<void>;
  /** The object's bytes; NotFoundError when there is none. */
  read(objectKey: string): Promise<Buffer>;
  /** Removes the object (erasure); removing one that is not there is not an error. */
  delete(objectKey: string): Promise<void>;
  /** Ready to serve (bucket reachable, root writable): for readiness checks. */
  check(): Promise<boolean>;
}
