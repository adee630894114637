import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FAMILY_OF_SERIES } from './metric-families';
import { referencesOf } from './promql-names';
import { promtool } from './promtool';

const DIR = join(__dirname, '..', '..', '..', 'deploy', 'helm', 'weaver', 'files', 'observability');
const DASHBOARDS = readdirSync(join(DIR, 'dashboards')).filter((f) => f.endsWith('.json'));

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating?: { list: Array<{ type: string; query?: { query?: string } | string }> };
}

const exprsOf = (panels: readonly Panel[]): Array<{ title: string; expr: string }> =>
  panels.flatMap((p) => [...(p.targets ?? []).flatMap((t) => (t.expr ? [{ title: p.title ?? '', expr: t.expr }] : [])), ...exprsOf(p.panels ?? [])]);

/** Labels every series may carry besides its family's own (the default label and the scrape's). */
const ALWAYS = new Set(['service', 'instance', 'job']);

/** Problems of one expression: unknown metrics, and labels none of its metrics has. */
function problemsOf(expr: string): string[] {
  const refs = referencesOf(expr);
  const families = refs.metrics.map((m) => [m, FAMILY_OF_SERIES.get(m)] as const);
  const missing = families.filter(([, fam]) => !fam).map(([m]) => `unknown metric ${m}`);
  const known = new Set(families.flatMap(([m, fam]) => [...(fam?.labels ?? []), ...(m.endsWith('_bucket') ? ['le'] : [])]));
  const labels = refs.labels.filter((l) => !ALWAYS.has(l) && !known.has(l)).map((l) => `label ${l} is on none of ${refs.metrics.join(', ')}`);
  return [...missing, ...labels];
}

/** Every expression as a recording rule, so `promtool check rules` parses it. */
function checkSyntax(exprs: readonly string[]): ReturnType<typeof promtool> {
  const file = join(mkdtempSync(join(tmpdir(), 'weaver-dashboards-')), 'exprs.rules.yaml');
  const rules = exprs.map((expr, i) => ({ record: `weaver_dashboard_check:expr${i}`, expr }));
  writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard-exprs', rules }] }));
  return promtool(['check', 'rules', file]);
}

describe('Grafana dashboards (deploy/helm/weaver/files/observability/dashboards)', () => {
  it('has the platform overview, per-tenant cost and per-agent performance dashboards', () => {
    const uids = DASHBOARDS.map((f) => (JSON.parse(readFileSync(join(DIR, 'dashboards', f), 'utf8')) as Dashboard).uid).sort();
    expect(uids).toEqual(['weaver-agent-performance', 'weaver-platform-overview', 'weaver-tenant-cost']);
  });

  it.each(DASHBOARDS)('%s: every expression parses (promtool) and uses only metrics and labels the services expose', (file) => {
    const d = JSON.parse(readFileSync(join(DIR, 'dashboards', file), 'utf8')) as Dashboard;
    const exprs = exprsOf(d.panels);
    expect(exprs.length).toBeGreaterThan(5);
    const syntax = checkSyntax(exprs.map((e) => e.expr));
    expect(syntax.output).toContain('SUCCESS');
    expect(syntax.ok).toBe(true);
    expect(exprs.flatMap((e) => problemsOf(e.expr).map((p) => `${e.title}: ${p}`))).toEqual([]);
    // Template variables read label values of real families too.
    const vars = (d.templating?.list ?? []).flatMap((v) => (v.type === 'query' && typeof v.query === 'object' && v.query.query ? [v.query.query] : []));
    for (const q of vars) {
      const m = /^label_values\((\w+),\s*(\w+)\)$/.exec(q);
      expect(m).not.toBeNull();
      expect(FAMILY_OF_SERIES.get(m![1]!)?.labels).toContain(m![2]);
    }
  });
});

describe('alert rules (deploy/helm/weaver/files/observability/alerts.yaml)', () => {
  const rules = (parse(readFileSync(join(DIR, 'alerts.yaml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups.flatMap((g) => g.rules);

  it('are valid Prometheus rules (promtool check rules)', () => {
    const res = promtool(['check', 'rules', join(DIR, 'alerts.yaml')]);
    expect(res.output).toContain('SUCCESS');
    expect(res.ok).toBe(true);
  });

  it('fire exactly as alerts.test.yaml expects (promtool test rules)', () => {
    const res = promtool(['test', 'rules', join(DIR, 'alerts.test.yaml')]);
    expect(res.output).toContain('SUCCESS');
    expect(res.ok).toBe(true);
  });

  it('cover lag growing, DLQ non-empty, breaker open and budget nearly exhausted, on metrics that exist', () => {
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['WeaverConsumerLagGrowing', 'WeaverDeadLettersPending', 'WeaverCircuitBreakerOpen', 'WeaverBudgetNearlyExhausted']));
    expect(rules.flatMap((r) => problemsOf(r.expr).map((p) => `${r.alert}: ${p}`))).toEqual([]);
  });

  it('a rule on a metric nobody exposes is caught', () => {
    expect(problemsOf('sum by (tenant) (weaver_no_such_total)')).toEqual(['unknown metric weaver_no_such_total', 'label tenant is on none of weaver_no_such_total']);
  });
});
