/**
 * @weaver/governance — the shared vocabulary of data governance: classification levels and
 * labels (validation, canonical form, join for derived data, ceilings), the actions and
 * principals policies decide over, and the audit event every enforcement point emits.
 */
export * from './classification';
export * from './actions';
export * from './audit-event';
