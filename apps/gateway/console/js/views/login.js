// Login: a tenant's API key (its runs, agents and costs) and/or the admin token (every tenant,
// dead letters). Each is checked with one call before it is kept.

import { api, ApiError, clearCredentials, saveCredentials } from '../api.js';
import { errorNotice, h } from '../dom.js';

export async function loginView(root) {
  const apiKey = h('input', { id: 'api-key', name: 'apiKey', type: 'password', autocomplete: 'off', placeholder: 'wv_…', spellcheck: 'false' });
  const adminToken = h('input', { id: 'admin-token', name: 'adminToken', type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const message = h('div', { id: 'login-message' });
  const form = h(
    'form',
    { id: 'login', class: 'card login' },
    h('h1', {}, 'Sign in to the Weaver console'),
    h('label', { for: 'api-key' }, 'Tenant API key'),
    apiKey,
    h('label', { for: 'admin-token' }, 'Admin token (cross-tenant views)'),
    adminToken,
    h('p', { class: 'muted' }, 'Kept in this tab only (sessionStorage) and sent only to this gateway.'),
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const creds = { apiKey: apiKey.value.trim() || undefined, adminToken: adminToken.value.trim() || undefined };
    if (!creds.apiKey && !creds.adminToken) {
      message.replaceChildren(errorNotice(new ApiError(400, 'INVALID_ARGUMENT', 'paste an API key or the admin token'), 'Sign in'));
      return;
    }
    saveCredentials(creds);
    try {
      if (creds.apiKey) await api('/v1/runs?limit=1');
      // An admin-only read that every gateway serves: is the token the operator's?
      if (creds.adminToken) await api('/v1/admin/audit/key');
    } catch (err) {
      clearCredentials();
      message.replaceChildren(errorNotice(err, 'Sign in'));
      return;
    }
    window.dispatchEvent(new Event('weaver:login'));
  });
  root.append(form);
}
