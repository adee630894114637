import { type RunningStack, startTestStack } from '@weaver/stack';
import { lintMetrics, METRIC_FAMILIES, seriesNamesOf, type ServiceName } from '@weaver/observability-checks';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples and declared families of one exposition (enough for assertions; promtool lints it). */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

/**
 * Every service's /metrics, scraped from the six real services after a workflow ran: each
 * exposition passes `promtool check metrics`, and each family dashboards and alerts rely on
 * (tools/observability metric-families.ts) is served by its service with its label names.
 * Also the usage admin API (the router's ledger through GetUsage): per tenant, range, grouping.
 */
describe('metrics and usage end to end', () => {
  let stack: RunningStack & { namespace: string };
  let acme: { tenantId: string; apiKey: string };
  let scraped: Map<ServiceName, string>;

  const http = (path: string, init: RequestInit & { key?: string; admin?: boolean } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.admin ? { 'x-admin-token': stack.adminToken } : {}) },
    });

  async function runToEnd(topic: string): Promise<string> {
    const res = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic } }) });
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: { runId: string } };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const got = (await (await http(`/v1/runs/${run.runId}`, { key: acme.apiKey })).json()) as { run?: { status: string } };
      if (got.run?.status === 'completed') return run.runId;
      if (got.run?.status === 'failed' || Date.now() > deadline) throw new Error(`run ${run.runId}: ${JSON.stringify(got)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const scrape = async (service: ServiceName): Promise<string> => (await fetch(`${stack.services[service].httpUrl}/metrics`)).text();

  /** Scrapes until `ready` holds for the runner's exposition (its lag poll runs on a timer). */
  async function scrapeAll(ready: (runner: string) => boolean): Promise<Map<ServiceName, string>> {
    const deadline = Date.now() + 45_000;
    while (!ready(await scrape('agent-runner'))) {
      if (Date.now() > deadline) throw new Error('the runner never reported consumer lag');
      await new Promise((r) => setTimeout(r, 500));
    }
    const names = Object.keys(stack.services) as ServiceName[];
    return new Map(await Promise.all(names.map(async (n) => [n, await scrape(n)] as const)));
  }

  beforeAll(async () => {
    stack = await startTestStack('metrics');
    acme = await stack.createTenant('acme');
    await runToEnd('metrics one');
    await runToEnd('metrics two');
    scraped = await scrapeAll((text) => /^weaver_consumer_lag_records\{[^}]*agent="reviewer"/m.test(text) && /^weaver_runs_completed_total\{/m.test(text));
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("every service's /metrics passes promtool check metrics", () => {
    expect(scraped.size).toBe(6);
    const problems = [...scraped].map(([service, text]) => ({ service, ...lintMetrics(text) })).filter((r) => !r.ok || r.output !== '');
    expect(problems).toEqual([]);
  });

  it.each(METRIC_FAMILIES.map((f) => [f.name, f] as const))('%s is served with its type and label names', (_name, family) => {
    for (const service of family.services) {
      const { types, samples } = parseExposition(scraped.get(service)!);
      expect({ service, type: types.get(family.name) }).toEqual({ service, type: family.type });
      const series = samples.filter((s) => seriesNamesOf(family).includes(s.name));
      for (const s of series) {
        const own = Object.keys(s.labels).filter((l) => l !== 'service' && l !== 'le' && l !== 'quantile').sort();
        expect({ series: s.name, labels: own }).toEqual({ series: s.name, labels: [...family.labels].sort() });
        expect(s.labels['service']).toBe(service);
      }
    }
  });

  it('counts the runs, steps and model usage of the workflow that ran, per workflow, agent and tenant', () => {
    const runner = parseExposition(scraped.get('agent-runner')!).samples;
    const router = parseExposition(scraped.get('router')!).samples;
    const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
    expect(value(runner, 'weaver_runs_started_total', { workflow: 'content-pipeline' })).toBe(2);
    expect(value(runner, 'weaver_runs_completed_total', { workflow: 'content-pipeline' })).toBe(2);
    for (const agent of ['researcher', 'writer', 'reviewer']) {
      expect(value(runner, 'weaver_steps_total', { workflow: 'content-pipeline', agent, outcome: 'completed' })).toBe(2);
      expect(value(runner, 'weaver_step_duration_seconds_count', { agent, outcome: 'completed' })).toBe(2);
      expect(value(runner, 'weaver_steps_in_flight', { agent })).toBe(0);
      expect(value(runner, 'weaver_dlq_records', { agent })).toBe(0);
    }
    expect(value(router, 'weaver_model_tokens_total', { tenant: acme.tenantId, workflow: 'content-pipeline', direction: 'output' })).toBeGreaterThan(0);
    expect(router.some((s) => s.name === 'weaver_model_cost_usd_total' && s.labels['tenant'] === acme.tenantId && s.labels['agent'] === 'writer')).toBe(true);
    // The default budget_usd quota (100 USD) applies: the gauge shows it, less what was spent.
    expect(value(router, 'weaver_budget_limit_usd', { tenant: acme.tenantId })).toBe(100);
    expect(value(router, 'weaver_budget_remaining_usd', { tenant: acme.tenantId })).toBeLessThanOrEqual(100);
  });

  describe('GET /v1/admin/tenants/:tenantId/usage', () => {
    type Usage = { groups: Array<Record<string, unknown> & { requests: number; costUsd: number }>; totals: { requests: number; inputTokens: number }; budget: { limitUsd: number; remainingUsd: number } | null };

    it('serves the ledger per tenant, grouped as asked', async () => {
      const all = (await (await http(`/v1/admin/tenants/${acme.tenantId}/usage`, { admin: true })).json()) as Usage;
      // Two runs, three agents, one model call each.
      expect(all.totals.requests).toBe(6);
      expect(all.groups.map((g) => `${String(g['workflow'])}/${String(g['agent'])}:${g.requests}`).sort()).toEqual(['content-pipeline/researcher:2', 'content-pipeline/reviewer:2', 'content-pipeline/writer:2']);
      const byModel = (await (await http(`/v1/admin/tenants/${acme.tenantId}/usage?groupBy=model`, { admin: true })).json()) as Usage;
      expect(byModel.groups.every((g) => Object.keys(g).sort().join() === 'costUsd,inputTokens,model,outputTokens,requests')).toBe(true);
      expect(byModel.groups.reduce((n, g) => n + g.requests, 0)).toBe(all.totals.requests);
      expect(byModel.budget).toMatchObject({ limitUsd: 100 });
    });

    it('limits rows to the time range (from inclusive, to exclusive)', async () => {
      const past = (await (await http(`/v1/admin/tenants/${acme.tenantId}/usage?from=2020-01-01&to=2020-01-02`, { admin: true })).json()) as Usage;
      expect(past.groups).toEqual([]);
      expect(past.totals.requests).toBe(0);
      const since = new Date(Date.now() - 3_600_000).toISOString();
      const recent = (await (await http(`/v1/admin/tenants/${acme.tenantId}/usage?from=${since}&groupBy=workflow`, { admin: true })).json()) as Usage;
      expect(recent.groups).toEqual([expect.objectContaining({ workflow: 'content-pipeline' })]);
    });

    it('names the field and rule of a bad query, and refuses tenants\' keys', async () => {
      const bad = await http(`/v1/admin/tenants/${acme.tenantId}/usage?from=soon&groupBy=tenant`, { admin: true });
      expect(bad.status).toBe(400);
      const body = JSON.stringify(await bad.json());
      expect(body).toContain('from');
      expect(body).toContain('groupBy');
      expect((await http(`/v1/admin/tenants/${acme.tenantId}/usage`, { key: acme.apiKey })).status).toBe(403);
      expect((await http(`/v1/admin/tenants/not-a-uuid/usage`, { admin: true })).status).toBe(400);
    });
  });
});
