import { FailedPreconditionError } from '@weaver/errors';
import { acceptsKeys, nextTenantState, TENANT_CHANGES, TENANT_STATES, TENANT_TRANSITIONS } from './tenant-state';

describe('TENANT_TRANSITIONS', () => {
  it('suspends and resumes an active tenant, each change idempotent', () => {
    expect(nextTenantState('active', 'suspend')).toBe('suspended');
    expect(nextTenantState('suspended', 'suspend')).toBe('suspended');
    expect(nextTenantState('suspended', 'resume')).toBe('active');
    expect(nextTenantState('active', 'resume')).toBe('active');
  });

  it('deletes from active or suspended, and never leaves deleting or erased but by deleting again', () => {
    expect(nextTenantState('active', 'delete')).toBe('deleting');
    expect(nextTenantState('suspended', 'delete')).toBe('deleting');
    expect(nextTenantState('deleting', 'delete')).toBe('deleting');
    expect(nextTenantState('erased', 'delete')).toBe('erased');
    for (const from of ['deleting', 'erased'] as const) for (const change of ['suspend', 'resume'] as const) expect(() => nextTenantState(from, change)).toThrow(FailedPreconditionError);
    expect(() => nextTenantState('deleting', 'resume')).toThrow('a deleting tenant cannot be resumed');
  });

  it('has a row for every state, only known changes, and only active tenants take keys', () => {
    expect(Object.keys(TENANT_TRANSITIONS).sort()).toEqual([...TENANT_STATES].sort());
    for (const moves of Object.values(TENANT_TRANSITIONS)) for (const change of Object.keys(moves)) expect(TENANT_CHANGES).toContain(change);
    expect(TENANT_STATES.filter(acceptsKeys)).toEqual(['active']);
  });
});
