// The REST API as the console calls it (docs/api.md), with the credentials its user pasted.
// They stay in sessionStorage: gone when the tab closes, never sent anywhere but this origin.

const STORE = 'weaver.console.credentials';

/** @returns {{ apiKey?: string, adminToken?: string } | null} */
export function credentials() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
    return saved && (saved.apiKey || saved.adminToken) ? saved : null;
  } catch {
    return null;
  }
}

export function saveCredentials(creds) {
  sessionStorage.setItem(STORE, JSON.stringify(creds));
}

export function clearCredentials() {
  sessionStorage.removeItem(STORE);
}

/** An error answer of the API: its status, code, message and field violations. */
export class ApiError extends Error {
  constructor(status, code, message, violations = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.violations = violations;
  }

  /** 404 for the route itself: this gateway does not serve it (yet), as opposed to a missing resource. */
  get routeMissing() {
    return this.status === 404 && /^Cannot (GET|POST|PUT|DELETE|PATCH) /.test(this.message);
  }
}

function headers(extra = {}) {
  const creds = credentials() ?? {};
  const out = { accept: 'application/json', ...extra };
  if (creds.apiKey) out.authorization = `Bearer ${creds.apiKey}`;
  if (creds.adminToken) out['x-admin-token'] = creds.adminToken;
  return out;
}

async function errorOf(res) {
  let body = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: status alone
  }
  const e = body.error ?? {};
  return new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.details?.violations ?? []);
}

/** Calls `path` (e.g. '/v1/runs'); resolves with the JSON answer, rejects with an ApiError. */
export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  if (!res.ok) throw await errorOf(res);
  return res.status === 204 ? {} : res.json();
}

/** `?a=1&b=2` of the values that are set. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * A run's Server-Sent Events (GET /v1/runs/{id}/events), read with fetch: EventSource cannot
 * send the API key header. Calls onEvent(event) for each; resolves when the stream ends.
 */
export async function followRun(runId, onEvent, signal) {
  const res = await fetch(`/v1/runs/${encodeURIComponent(runId)}/events`, { headers: headers({ accept: 'text/event-stream' }), signal });
  if (!res.ok) throw await errorOf(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
      const data = buffer.slice(0, at).split('\n').find((l) => l.startsWith('data: '));
      buffer = buffer.slice(at + 2);
      if (data) onEvent(JSON.parse(data.slice(6)));
    }
  }
}
