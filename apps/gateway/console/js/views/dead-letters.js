// Dead letters with their errors, and replay: one, all (of a group), or a whole consumer group
// by name (POST /v1/dlq/{group}/replay, which every gateway serves). Admin token only.

import { api, credentials, query } from '../api.js';
import { errorNotice, fmt, h, notice, table } from '../dom.js';

const errorCell = (d) =>
  h('div', { class: 'error-text' }, h('strong', {}, d.error?.code ?? ''), ' ', d.error?.message ?? '', d.error?.violations?.length ? h('ul', {}, d.error.violations.map((v) => h('li', {}, `${v.field}: ${v.rule}`))) : null);

function groupReplay(message) {
  const group = h('input', { name: 'group', id: 'replay-group', placeholder: '<namespace>.weaver.agent.<agent>', required: true, size: 40 });
  const form = h('form', { id: 'group-replay', class: 'filters' }, 'Replay a consumer group’s dead letters: ', group, h('button', { type: 'submit' }, 'Replay group'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const res = await api(`/v1/dlq/${encodeURIComponent(group.value.trim())}/replay`, { method: 'POST', body: {} });
      message.replaceChildren(notice('info', `Replayed ${res.replayed} dead letter(s)${res.skipped ? `, skipped ${res.skipped}` : ''}.`));
    } catch (err) {
      message.replaceChildren(errorNotice(err, 'Replaying the group'));
    }
  });
  return form;
}

export async function deadLettersView(root) {
  root.append(h('h1', {}, 'Dead letters'));
  if (!credentials().adminToken) {
    root.append(notice('info', 'Dead letters are an operator view: sign in with the admin token.'));
    return;
  }
  const message = h('div', { id: 'dlq-message' });
  const list = h('div', { id: 'dead-letters-body' });
  const groupFilter = h('input', { name: 'group', placeholder: 'consumer group (all)' });
  let cursor;
  const replay = async (path, body, what) => {
    try {
      const res = await api(path, { method: 'POST', body });
      message.replaceChildren(notice('info', `${what}: ${JSON.stringify(res)}`));
      await load();
    } catch (err) {
      message.replaceChildren(errorNotice(err, what));
    }
  };
  async function load() {
    try {
      const { deadLetters, nextCursor } = await api(`/v1/admin/dead-letters${query({ group: groupFilter.value, cursor, limit: 50 })}`);
      list.replaceChildren(
        deadLetters.length
          ? table(
              [
                { title: 'Dead-lettered', key: 'at', cell: (d) => fmt.time(d.deadLetteredAt) },
                { title: 'Group', key: 'group', cell: (d) => d.group },
                { title: 'Record', key: 'record', cell: (d) => `${d.topic}[${d.partition}]@${d.offset}` },
                { title: 'Run', key: 'run', cell: (d) => (d.runId ? h('a', { href: `#/runs/${d.runId}` }, d.runId.slice(0, 8)) : '—') },
                { title: 'Error', key: 'error', cell: errorCell },
                { title: '', key: 'actions', cell: (d) => h('button', { type: 'button', class: 'replay-one', onclick: () => replay(`/v1/admin/dead-letters/${encodeURIComponent(d.id)}/replay`, {}, 'Replay') }, 'Replay') },
              ],
              deadLetters,
              { attrs: { id: 'dead-letters', class: 'grid' }, rowAttrs: (d) => ({ 'data-id': d.id, 'data-group': d.group, 'data-run-id': d.runId, 'data-error-code': d.error?.code }) },
            )
          : notice('info', 'No dead letters.'),
        nextCursor ? h('button', { type: 'button', onclick: () => ((cursor = nextCursor), void load()) }, 'Next page') : null,
      );
    } catch (err) {
      list.replaceChildren(errorNotice(err, 'The dead-letter list'));
    }
    list.dataset.loaded = 'true';
  }
  const filters = h('form', { class: 'filters' }, groupFilter, h('button', { type: 'submit' }, 'Filter'), h('button', { type: 'button', id: 'replay-all', onclick: () => replay('/v1/admin/dead-letters:replay', groupFilter.value ? { group: groupFilter.value } : {}, 'Replay all') }, 'Replay all shown'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    cursor = undefined;
    void load();
  });
  root.append(filters, list, groupReplay(message), message);
  await load();
}
