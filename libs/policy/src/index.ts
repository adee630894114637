/**
 * @weaver/policy — attribute-based access control on Cedar: Weaver's Cedar schema (generated
 * from ACTIONS), the baseline every tenant gets, validation with line:column, the in-process
 * PolicyEngine (preparsed sets per tenant version, LRU of decisions), the Authorizer that
 * enforcement points call (decide + audit event), and the per-tenant policy store.
 */
export * from './audit-recorders';
export * from './authorizer';
export * from './baseline-policies';
export * from './entities';
export * from './policy-engine';
export * from './policy-source';
export * from './policy-validation';
export * from './source-position';
export * from './weaver-schema';
export * from './store/policy-store';
export * from './grpc-policy-source';
export * from './policy-enforcement.module';
