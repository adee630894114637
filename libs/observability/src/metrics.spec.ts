import { Metrics } from './metrics';

describe('Metrics', () => {
  it('exposes counters and histograms in Prometheus text format with the service label', async () => {
    const m = new Metrics('test-svc');
    m.counter('weaver_test_events_total', 'events', ['topic']).inc({ topic: 't1' }, 3);
    m.histogram('weaver_test_latency_seconds', 'latency', ['topic']).observe({ topic: 't1' }, 0.02);
    const { body, contentType } = await m.text();
    expect(contentType).toMatch(/text\/plain/);
    expect(body).toContain('weaver_test_events_total{topic="t1",service="test-svc"} 3');
    expect(body).toContain('weaver_test_latency_seconds_bucket{le="0.025",service="test-svc",topic="t1"} 1');
  });

  it('returns the same metric when asked twice', () => {
    const m = new Metrics('x');
    const a = m.counter('weaver_twice_total', 'h');
    a.inc();
    m.counter('weaver_twice_total', 'h').inc();
    return m.text().then(({ body }) => expect(body).toContain('weaver_twice_total{service="x"} 2'));
  });
});
