// Cost per workflow, agent and model for a tenant, and per tenant across the installation,
// from the router's ledger (GET /v1/admin/tenants/{id}/usage), drawn as bar charts.

import { api, credentials, query } from '../api.js';
import { barChart } from '../chart.js';
import { errorNotice, fmt, h, notice } from '../dom.js';

const RANGES = { all: 0, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
/** Cross-tenant chart: one usage read per tenant, for at most this many. */
const MAX_TENANTS = 50;

/** Sums usage groups by one dimension: [{ label, value }] of cost. */
function byDimension(groups, dim) {
  const sums = new Map();
  for (const g of groups) sums.set(g[dim], (sums.get(g[dim]) ?? 0) + g.costUsd);
  return [...sums].map(([label, value]) => ({ label: String(label), value }));
}

const usageOf = (tenantId, from) => api(`/v1/admin/tenants/${encodeURIComponent(tenantId)}/usage${query({ groupBy: 'workflow,agent,model', from: from || undefined })}`);

/** The tenant the key belongs to, from one of its runs (the API has no "who am I"). */
async function ownTenant() {
  const { runs } = await api('/v1/runs?limit=1');
  return runs[0]?.tenantId ?? '';
}

export async function costsView(root, _params, signal) {
  const creds = credentials();
  const tenant = h('input', { id: 'cost-tenant', name: 'tenantId', placeholder: 'tenant id', size: 38 });
  const range = h('select', { id: 'cost-range' }, Object.keys(RANGES).map((r) => h('option', { value: r }, r === 'all' ? 'all time' : `last ${r}`)));
  const tenantBody = h('div', { id: 'tenant-costs' });
  const allBody = h('div', { id: 'all-tenant-costs' });
  const form = h('form', { class: 'filters', id: 'cost-filters' }, 'Tenant ', tenant, ' ', range, h('button', { type: 'submit' }, 'Show'));
  root.append(h('h1', {}, 'Costs'), form, tenantBody);
  if (creds.adminToken) root.append(h('h2', {}, 'Cost per tenant'), allBody);
  const since = () => (RANGES[range.value] ? new Date(Date.now() - RANGES[range.value]).toISOString() : '');

  async function loadTenant() {
    if (!tenant.value) {
      tenantBody.replaceChildren(notice('info', 'Enter a tenant id.'));
      return;
    }
    try {
      const usage = await usageOf(tenant.value.trim(), since());
      const t = usage.totals;
      tenantBody.replaceChildren(
        h('p', { id: 'cost-totals', 'data-cost-usd': t.costUsd, 'data-requests': t.requests }, `${fmt.int(t.requests)} model calls · ${fmt.int(t.inputTokens)} input + ${fmt.int(t.outputTokens)} output tokens · ${fmt.usd(t.costUsd)}`),
        usage.budget ? h('p', { id: 'budget', 'data-limit-usd': usage.budget.limitUsd, 'data-remaining-usd': usage.budget.remainingUsd }, `Budget ${fmt.usd(usage.budget.limitUsd)}: ${fmt.usd(usage.budget.spentUsd)} spent, ${fmt.usd(usage.budget.reservedUsd)} reserved, ${fmt.usd(usage.budget.remainingUsd)} left`) : h('p', { class: 'muted' }, 'No budget: unlimited.'),
        h('div', { class: 'charts' }, barChart('cost-per-workflow', 'Cost per workflow', byDimension(usage.groups, 'workflow')), barChart('cost-per-agent', 'Cost per agent', byDimension(usage.groups, 'agent')), barChart('cost-per-model', 'Cost per model', byDimension(usage.groups, 'model'))),
      );
    } catch (err) {
      tenantBody.replaceChildren(errorNotice(err, "The tenant's usage"));
    }
    tenantBody.dataset.loaded = 'true';
  }

  async function loadAll() {
    try {
      const { tenants } = await api(`/v1/admin/tenants${query({ limit: MAX_TENANTS })}`);
      const rows = await Promise.all(tenants.slice(0, MAX_TENANTS).map(async (t) => ({ label: t.name ?? t.tenantId, value: (await usageOf(t.tenantId, since())).totals.costUsd })));
      allBody.replaceChildren(barChart('cost-per-tenant', 'Cost per tenant', rows));
    } catch (err) {
      allBody.replaceChildren(errorNotice(err, 'The cross-tenant cost chart (it lists tenants with GET /v1/admin/tenants)'));
    }
    allBody.dataset.loaded = 'true';
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void loadTenant();
    if (creds.adminToken) void loadAll();
  });
  if (creds.apiKey) tenant.value = await ownTenant().catch(() => '');
  if (signal.aborted) return;
  await Promise.all([loadTenant(), creds.adminToken ? loadAll() : null]);
}
