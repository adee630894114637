// Building DOM without markup strings: every value goes in as text, so nothing an API returns
// (a run's input, an error message) can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h('a', { href: '#/runs' }, 'Runs') */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** The same in SVG's namespace (charts). */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });
const int = new Intl.NumberFormat('en-US');

export const fmt = {
  usd: (n) => usd.format(Number(n) || 0),
  int: (n) => int.format(Number(n) || 0),
  ms: (n) => (n === undefined || n === null ? '—' : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(2)} s`),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : '—'),
  json: (v) => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 2)),
};

/** A status as a badge (class status-<status>), for runs, steps and instances. */
export const badge = (status) => h('span', { class: `badge status-${String(status).toLowerCase()}`, 'data-status': status }, status);

/** A notice: 'info' | 'error' | 'unavailable'. */
export const notice = (kind, ...text) => h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...text);

/** What the page shows for a failed call: a route this gateway lacks reads as "not available". */
export function errorNotice(err, what) {
  if (err && err.routeMissing) return notice('unavailable', `${what} is not available on this gateway (its API route is not served).`);
  if (err && err.status === 403) return notice('error', `${what}: not allowed for these credentials — ${err.message}`);
  if (err && err.status === 401) return notice('error', `${what}: the credentials were refused — log in again.`);
  const violations = err?.violations?.length ? ` (${err.violations.map((v) => `${v.field}: ${v.rule}`).join('; ')})` : '';
  return notice('error', `${what}: ${err?.message ?? String(err)}${violations}`);
}

/** A table from column definitions: [{ title, key?, cell: (row) => Node|string }]; rowAttrs(row) adds attributes to each row. */
export function table(columns, rows, { attrs = {}, rowAttrs = () => ({}) } = {}) {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
    h('tbody', {}, rows.map((row) => h('tr', rowAttrs(row), columns.map((c) => h('td', { 'data-col': c.key ?? c.title }, c.cell(row)))))),
  );
}
