import { OTHER_TENANT, TenantLabel } from './metric-labels';

describe('TenantLabel', () => {
  it('labels the first tenants it sees and folds the rest into one value', () => {
    const label = new TenantLabel(2);
    expect([label.of('a'), label.of('b'), label.of('c'), label.of('a')]).toEqual(['a', 'b', OTHER_TENANT, 'a']);
  });
});

describe('Metrics default families', () => {
  it('leave out the gauges named *_total that promtool check metrics rejects', async () => {
    const { Metrics } = await import('./metrics');
    const { body } = await new Metrics('lint').text();
    expect(body).toContain('nodejs_active_handles{');
    expect(body).not.toMatch(/^# TYPE \w+_total gauge$/m);
  });
});
