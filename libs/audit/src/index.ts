/**
 * @weaver/audit — the tamper-evident audit trail (docs/architecture.md, "The audit trail").
 *
 * - Producing: `KafkaAuditRecorder` (an `AuditRecorder` for enforcement points and admin routes:
 *   produce to `weaver.audit.v1`, acked, batched across concurrent callers) and
 *   `auditRecordsOf` (records a step adds to the Kafka transaction it commits anyway).
 * - Chaining: `AuditChainer` (runs in tenancy) consumes the topic and appends per tenant to a
 *   hash chain in PostgreSQL schema `audit` (`AuditLogWriter`), signing RFC 6962 Merkle
 *   checkpoints with Ed25519.
 * - Reading: `AuditLogReader` (list), `AuditProofs` (inclusion, consistency, signed bundles).
 * - Across regions (docs/regions.md): `CheckpointPublisher` (signed checkpoints → this region's
 *   `weaver.audit-checkpoints.v1`), `startCheckpointReplication` + `RemoteCheckpointStore` (peers'
 *   mirrored checkpoints, verified against configured key ids, → `audit.remote_checkpoints`).
 * - Verifying offline: `verifyBundle`, `verifyStoredLog`, and the proof checks of `merkle-verify`.
 */
export * from './canonical-json';
export * from './hashes';
export * from './merkle';
export * from './merkle-verify';
export * from './compact-range';
export * from './audit-entry';
export * from './audit-signing-key';
export * from './checkpoint';
export * from './audit-bundle';
export * from './audit-issues';
export * from './verify-bundle';
export * from './verify-stored-log';
export * from './audit-records';
export * from './kafka-audit-recorder';
export * from './audit-recorder-connection';
export * from './audit-log-writer';
export * from './audit-log-reader';
export * from './audit-proofs';
export * from './checkpoint-record';
export * from './checkpoint-publisher';
export * from './remote-checkpoints';
export * from './checkpoint-replication';
export * from './audit-chainer';
export * from './audit.schema';
export * from './audit-log-access';
