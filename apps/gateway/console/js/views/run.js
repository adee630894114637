// One run: its status, input and result (as the API allows them to this caller), steps with
// timings, a timeline, its model calls with tokens and cost, and, while it runs, its live
// events (SSE), after each of which the run and its calls are read again.

import { api, followRun } from '../api.js';
import { timeline } from '../chart.js';
import { badge, errorNotice, fmt, h, notice, table } from '../dom.js';

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

function stepsTable(run) {
  if (!run.steps?.length) return notice('info', FINISHED.has(run.status) ? `No step was recorded: the run ${run.status} before any step finished.` : 'No step has finished yet.');
  return table(
    [
      { title: 'Step', key: 'step', cell: (st) => st.step },
      { title: 'Agent', key: 'agent', cell: (st) => st.agent },
      { title: 'Status', key: 'status', cell: (st) => badge(st.status) },
      { title: 'Attempt', key: 'attempt', cell: (st) => String(st.attempt) },
      { title: 'Started', key: 'started', cell: (st) => fmt.time(st.startedAt) },
      { title: 'Duration', key: 'duration', cell: (st) => fmt.ms(st.durationMs) },
    ],
    run.steps,
    { attrs: { id: 'steps', class: 'grid' }, rowAttrs: (st) => ({ 'data-step': st.step, 'data-status': st.status, 'data-duration-ms': st.durationMs }) },
  );
}

function callsSection(calls) {
  if (!calls.length) return notice('info', 'No model calls recorded for this run.');
  const totals = calls.reduce((t, c) => ({ input: t.input + c.inputTokens, output: t.output + c.outputTokens, cost: t.cost + c.costUsd }), { input: 0, output: 0, cost: 0 });
  return h(
    'div',
    {},
    table(
      [
        { title: 'Step', key: 'step', cell: (c) => c.step },
        { title: 'Agent', key: 'agent', cell: (c) => c.agent },
        { title: 'Model', key: 'model', cell: (c) => c.model },
        { title: 'Provider', key: 'provider', cell: (c) => c.provider },
        { title: 'Operation', key: 'operation', cell: (c) => c.operation + (c.cached ? ' (cached)' : '') },
        { title: 'Input tokens', key: 'input-tokens', cell: (c) => fmt.int(c.inputTokens) },
        { title: 'Output tokens', key: 'output-tokens', cell: (c) => fmt.int(c.outputTokens) },
        { title: 'Cost', key: 'cost', cell: (c) => fmt.usd(c.costUsd) },
        { title: 'At', key: 'at', cell: (c) => fmt.time(c.at) },
      ],
      calls,
      { attrs: { id: 'model-calls', class: 'grid' }, rowAttrs: (c) => ({ 'data-step': c.step, 'data-model': c.model, 'data-input-tokens': c.inputTokens, 'data-output-tokens': c.outputTokens, 'data-cost-usd': c.costUsd }) },
    ),
    h('p', { id: 'model-call-totals', 'data-input-tokens': totals.input, 'data-output-tokens': totals.output, 'data-cost-usd': totals.cost }, `${calls.length} calls · ${fmt.int(totals.input)} input + ${fmt.int(totals.output)} output tokens · ${fmt.usd(totals.cost)}`),
  );
}

function summary(run, onCancel) {
  return h(
    'dl',
    { id: 'run-summary', class: 'summary', 'data-status': run.status },
    h('dt', {}, 'Workflow'), h('dd', {}, run.workflow),
    h('dt', {}, 'Status'), h('dd', {}, badge(run.status), FINISHED.has(run.status) ? null : h('button', { type: 'button', id: 'cancel-run', onclick: onCancel }, 'Cancel run')),
    h('dt', {}, 'Tenant'), h('dd', {}, run.tenantId),
    h('dt', {}, 'Started'), h('dd', {}, fmt.time(run.createdAt)),
    h('dt', {}, 'Updated'), h('dd', {}, fmt.time(run.updatedAt)),
    run.classification?.length ? [h('dt', {}, 'Classification'), h('dd', {}, run.classification.join(', '))] : null,
    run.error ? [h('dt', {}, 'Error'), h('dd', { id: 'run-error', class: 'error-text' }, run.failedStep ? `${run.failedStep}: ${run.error}` : run.error)] : null,
  );
}

export async function runView(root, [runId], signal) {
  const parts = { summary: h('div'), io: h('div', { class: 'io' }), steps: h('div'), timeline: h('div'), calls: h('div'), live: h('ol', { id: 'events', class: 'events' }), action: h('div') };
  root.append(
    h('p', {}, h('a', { href: '#/runs' }, '← Runs')),
    h('h1', {}, 'Run ', h('code', { id: 'run-id' }, runId)),
    parts.summary, parts.action,
    h('h2', {}, 'Input and result'), parts.io,
    h('h2', {}, 'Steps'), parts.steps, parts.timeline,
    h('h2', {}, 'Model calls'), parts.calls,
    h('h2', {}, 'Live events'), parts.live,
  );
  const cancel = async () => {
    try {
      await api(`/v1/runs/${runId}/cancel`, { method: 'POST', body: {} });
      parts.action.replaceChildren(notice('info', 'Cancel requested.'));
    } catch (err) {
      parts.action.replaceChildren(errorNotice(err, 'Cancelling a run'));
    }
  };
  async function refresh() {
    let run;
    try {
      ({ run } = await api(`/v1/runs/${runId}`));
    } catch (err) {
      parts.summary.replaceChildren(errorNotice(err, 'This run'));
      return undefined;
    }
    parts.summary.replaceChildren(summary(run, cancel));
    parts.io.replaceChildren(h('div', {}, h('h3', {}, 'Input'), h('pre', { id: 'run-input' }, fmt.json(run.input))), h('div', {}, h('h3', {}, 'Result'), h('pre', { id: 'run-result' }, fmt.json(run.result))));
    parts.steps.replaceChildren(stepsTable(run));
    parts.timeline.replaceChildren(run.steps?.length ? timeline(run) : '');
    try {
      parts.calls.replaceChildren(callsSection((await api(`/v1/runs/${runId}/model-calls`)).calls));
    } catch (err) {
      parts.calls.replaceChildren(errorNotice(err, "The run's model calls"));
    }
    root.dataset.runStatus = run.status;
    return run;
  }
  const run = await refresh();
  if (!run || FINISHED.has(run.status)) {
    parts.live.append(h('li', { class: 'muted' }, run ? `The run has ended (${run.status}).` : '—'));
    return;
  }
  try {
    await followRun(runId, (event) => {
      if (event.kind === 'step.delta') return; // streamed text: the step's result shows when it completes
      parts.live.append(h('li', { 'data-kind': event.kind }, `${fmt.time(event.time)} ${event.kind}${event.step ? ` ${event.step}` : ''}${event.durationMs !== undefined ? ` (${fmt.ms(event.durationMs)})` : ''}${event.error ? ` — ${event.error}` : ''}`));
      if (event.kind !== 'snapshot') void refresh();
    }, signal);
    await refresh();
  } catch (err) {
    if (!signal.aborted) parts.live.append(h('li', {}, errorNotice(err, 'The live event stream')));
  }
}
