// The console's shell: login state, navigation by URL hash, one view at a time. A view gets
// an AbortSignal that fires when the user navigates away (its timers and streams stop).

import { clearCredentials, credentials } from './api.js';
import { h } from './dom.js';
import { agentsView } from './views/agents.js';
import { costsView } from './views/costs.js';
import { deadLettersView } from './views/dead-letters.js';
import { loginView } from './views/login.js';
import { runView } from './views/run.js';
import { runsView } from './views/runs.js';

const ROUTES = [
  { pattern: /^#\/runs\/([0-9a-fA-F-]{36})$/, nav: 'runs', view: runView },
  { pattern: /^#\/runs$/, nav: 'runs', view: runsView },
  { pattern: /^#\/agents$/, nav: 'agents', view: agentsView },
  { pattern: /^#\/dead-letters$/, nav: 'dead-letters', view: deadLettersView },
  { pattern: /^#\/costs$/, nav: 'costs', view: costsView },
];

let current = new AbortController();

function showChrome(creds) {
  document.getElementById('nav').hidden = !creds;
  document.getElementById('logout').hidden = !creds;
  const who = [creds?.apiKey ? `tenant key ${creds.apiKey.slice(0, 10)}…` : null, creds?.adminToken ? 'admin token' : null].filter(Boolean);
  document.getElementById('who').textContent = who.length ? `Signed in with ${who.join(' + ')}` : '';
}

async function render() {
  current.abort();
  current = new AbortController();
  const root = document.getElementById('view');
  const creds = credentials();
  showChrome(creds);
  root.replaceChildren();
  if (!creds) {
    await loginView(root, [], current.signal);
    return;
  }
  const hash = location.hash || '#/runs';
  const route = ROUTES.find((r) => r.pattern.test(hash));
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === route?.nav);
  if (!route) {
    root.append(h('p', {}, 'No such page. ', h('a', { href: '#/runs' }, 'Back to the runs.')));
    return;
  }
  const params = hash.match(route.pattern).slice(1);
  root.dataset.view = route.nav;
  await route.view(root, params, current.signal);
}

document.getElementById('logout').addEventListener('click', () => {
  clearCredentials();
  location.hash = '#/runs';
  void render();
});
window.addEventListener('hashchange', () => void render());
window.addEventListener('weaver:login', () => void render());
void render();
