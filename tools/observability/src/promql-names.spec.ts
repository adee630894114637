import { referencesOf } from './promql-names';

describe('referencesOf', () => {
  it('finds metric names and labels, not functions, keywords, strings, durations or numbers', () => {
    const r = referencesOf('histogram_quantile(0.95, sum by (le, agent) (rate(weaver_step_duration_seconds_bucket{agent=~"$agent", outcome!="x y"}[5m]))) > 1e-3 and on(agent) weaver_steps_in_flight offset 5m');
    expect(r.metrics.sort()).toEqual(['weaver_step_duration_seconds_bucket', 'weaver_steps_in_flight']);
    expect(r.labels.sort()).toEqual(['agent', 'le', 'outcome']);
  });
});
