// The runs list: the tenant's runs (GET /v1/runs) with a key, or every tenant's with the admin
// token (GET /v1/admin/runs, filters and pages). Refreshed every few seconds while shown.

import { api, credentials, query } from '../api.js';
import { badge, errorNotice, fmt, h, notice, table } from '../dom.js';

const REFRESH_MS = 5000;

const runLink = (run) => h('a', { href: `#/runs/${run.runId}`, class: 'run-link', 'data-run-id': run.runId }, run.runId.slice(0, 8));
const duration = (run) => (run.status === 'completed' || run.status === 'failed' ? fmt.ms(Date.parse(run.updatedAt) - Date.parse(run.createdAt)) : '…');

function runsTable(runs, withTenant) {
  const columns = [
    { title: 'Run', key: 'run', cell: runLink },
    ...(withTenant ? [{ title: 'Tenant', key: 'tenant', cell: (r) => r.tenantId.slice(0, 8) }] : []),
    { title: 'Workflow', key: 'workflow', cell: (r) => r.workflow },
    { title: 'Status', key: 'status', cell: (r) => badge(r.status) },
    { title: 'Started', key: 'created', cell: (r) => fmt.time(r.createdAt) },
    { title: 'Duration', key: 'duration', cell: duration },
    { title: 'Error', key: 'error', cell: (r) => (r.error ? h('span', { class: 'error-text' }, r.failedStep ? `${r.failedStep}: ${r.error}` : r.error) : '') },
  ];
  return table(columns, runs, { attrs: { id: 'runs', class: 'grid' }, rowAttrs: (r) => ({ 'data-run-id': r.runId, 'data-status': r.status, 'data-workflow': r.workflow }) });
}

export async function runsView(root, _params, signal) {
  const creds = credentials();
  const admin = Boolean(creds.adminToken);
  const filters = { tenantId: h('input', { name: 'tenantId', placeholder: 'tenant id' }), workflow: h('input', { name: 'workflow', placeholder: 'workflow' }), status: h('select', { name: 'status' }, ['', 'pending', 'running', 'completed', 'failed', 'cancelled'].map((v) => h('option', { value: v }, v || 'any status'))) };
  const scope = h('select', { id: 'runs-scope' }, creds.apiKey ? h('option', { value: 'tenant' }, 'this tenant') : null, admin ? h('option', { value: 'all' }, 'all tenants (admin)') : null);
  const body = h('div', { id: 'runs-body' });
  let cursor;
  const form = h('form', { class: 'filters', id: 'runs-filters' }, 'Show ', scope, ...Object.values(filters), h('button', { type: 'submit' }, 'Apply'));
  root.append(h('h1', {}, 'Runs'), form, body);

  async function load() {
    try {
      if (scope.value === 'all') {
        const q = query({ tenantId: filters.tenantId.value, workflow: filters.workflow.value, status: filters.status.value, cursor, limit: 50 });
        const { runs, nextCursor } = await api(`/v1/admin/runs${q}`);
        body.replaceChildren(runs.length ? runsTable(runs, true) : notice('info', 'No runs match.'), nextCursor ? h('button', { type: 'button', onclick: () => ((cursor = nextCursor), void load()) }, 'Next page') : null);
      } else {
        const { runs } = await api('/v1/runs?limit=50');
        const shown = runs.filter((r) => (!filters.workflow.value || r.workflow === filters.workflow.value) && (!filters.status.value || r.status === filters.status.value));
        body.replaceChildren(shown.length ? runsTable(shown, false) : notice('info', 'No runs yet. Start one with POST /v1/runs.'));
      }
    } catch (err) {
      body.replaceChildren(errorNotice(err, scope.value === 'all' ? 'The cross-tenant runs list' : 'The runs list'));
    }
    body.dataset.loaded = 'true';
  }
  filters.tenantId.hidden = scope.value !== 'all';
  scope.addEventListener('change', () => {
    filters.tenantId.hidden = scope.value !== 'all';
    cursor = undefined;
    void load();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    cursor = undefined;
    void load();
  });
  await load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}
