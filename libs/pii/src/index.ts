/**
 * @weaver/pii — PII detection and masking before text reaches a model or a log (issue 10 §3).
 * `PiiScanner.scan` finds structured identifiers (validated: checksums, numbering plans) and
 * persons, organisations and addresses (rules, a multi-cultural gazetteer and compromise's
 * bundled English model); `applyPolicy` applies a tenant's `PiiPolicy` (allow / mask /
 * tokenise / refuse); `detokenise` reverses the tenant's tokens; `redactText` / `redactFields`
 * mask everything for logs. Platform library: it depends on @weaver/errors only, so the
 * logger (@weaver/observability) can use it.
 */
export * from './pii-span';
export * from './pii-scanner';
export * from './resolve-overlaps';
export * from './pii-policy';
export * from './pii.errors';
export * from './pii-masking';
export * from './pii-token';
export * from './token-keys';
export * from './redact';
export { validIban, IBAN_LENGTHS } from './validators/iban';
export { luhnValid } from './validators/checksums';
export * from './validators/national-ids';
