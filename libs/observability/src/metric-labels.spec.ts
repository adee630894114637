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
    // The per-type gauge stays (its samples depend on what handles the process has open right now).
    expect(body).toContain('# TYPE nodejs_active_handles gauge');
    expect(body).not.toMatch(/^# TYPE \w+_total gauge$/m);
  });
});
