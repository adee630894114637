// Charts drawn as inline SVG (no library): horizontal bars for costs, a Gantt-like strip for a
// run's steps. Each bar carries its label and raw value as data- attributes, for screen
// readers' aria-labels and for tests.

import { fmt, h, s } from './dom.js';

const WIDTH = 640;
const LABEL = 170;
const VALUE = 110;
const ROW = 24;

/**
 * A bar chart: bars = [{ label, value }], drawn largest first; `format` prints values.
 * Returns a <figure data-chart="<name>"> with one <g class="bar"> per bar.
 */
export function barChart(name, title, bars, format = fmt.usd) {
  const sorted = [...bars].sort((a, b) => b.value - a.value);
  const max = Math.max(...sorted.map((b) => b.value), 0);
  const plot = WIDTH - LABEL - VALUE;
  const height = Math.max(1, sorted.length) * ROW + 8;
  const svg = s(
    'svg',
    { class: 'chart-svg', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-label': title },
    sorted.map((bar, i) => {
      const width = max > 0 ? Math.max(1, Math.round((bar.value / max) * plot)) : 1;
      const y = i * ROW + 4;
      return s(
        'g',
        { class: 'bar', 'data-label': bar.label, 'data-value': bar.value, 'aria-label': `${bar.label}: ${format(bar.value)}` },
        s('text', { class: 'bar-label', x: LABEL - 8, y: y + 15, 'text-anchor': 'end' }, truncate(bar.label, 24)),
        s('rect', { class: 'bar-rect', x: LABEL, y, width, height: ROW - 6, rx: 2 }),
        s('text', { class: 'bar-value', x: LABEL + width + 6, y: y + 15 }, format(bar.value)),
        s('title', {}, `${bar.label}: ${format(bar.value)}`),
      );
    }),
  );
  const empty = sorted.length === 0 ? h('p', { class: 'muted' }, 'Nothing recorded in this range.') : null;
  return h('figure', { class: 'chart', 'data-chart': name }, h('figcaption', {}, title), empty ?? svg);
}

/**
 * A run's steps on one time axis from the run's creation: one bar per step from its start to
 * its end, coloured by status. Returns <figure data-chart="timeline">.
 */
export function timeline(run) {
  const origin = Date.parse(run.createdAt);
  const steps = run.steps ?? [];
  const end = Math.max(origin + 1, ...steps.map((st) => Date.parse(st.finishedAt)), run.status === 'completed' || run.status === 'failed' ? Date.parse(run.updatedAt) : 0);
  const span = end - origin;
  const plot = WIDTH - LABEL - VALUE;
  const height = Math.max(1, steps.length) * ROW + 22;
  const x = (t) => LABEL + Math.round(((t - origin) / span) * plot);
  const svg = s(
    'svg',
    { class: 'chart-svg', viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-label': `Timeline of run ${run.runId}` },
    steps.map((st, i) => {
      const y = i * ROW + 4;
      const from = x(Date.parse(st.startedAt));
      const width = Math.max(2, x(Date.parse(st.finishedAt)) - from);
      return s(
        'g',
        { class: `span status-${st.status}`, 'data-step': st.step, 'data-duration-ms': st.durationMs },
        s('text', { class: 'bar-label', x: LABEL - 8, y: y + 15, 'text-anchor': 'end' }, truncate(st.step, 24)),
        s('rect', { class: 'span-rect', x: from, y, width, height: ROW - 6, rx: 2 }),
        s('text', { class: 'bar-value', x: from + width + 6, y: y + 15 }, fmt.ms(st.durationMs)),
        s('title', {}, `${st.step} (${st.agent}): ${st.status}, ${fmt.ms(st.durationMs)}`),
      );
    }),
    s('text', { class: 'axis', x: LABEL, y: height - 4 }, '0'),
    s('text', { class: 'axis', x: LABEL + plot, y: height - 4, 'text-anchor': 'end' }, fmt.ms(span)),
  );
  return h('figure', { class: 'chart', 'data-chart': 'timeline' }, h('figcaption', {}, 'Timeline (from the run\'s start)'), svg);
}

const truncate = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
