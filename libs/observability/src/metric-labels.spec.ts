import { OTHER_TENANT, TenantLabel } from './metric-labels';

describe('TenantLabel', () => {
  it('labels the first tenants it sees and folds the rest into one value', () => {
    const label = new TenantLabel(2);
    expect([label.of('a'), label.of('b'), label.of('c'), label.of('a')]).toEqual(['a', 'b', OTHER_TENANT, 'a']);
  });
});
