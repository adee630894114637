import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { OpenAIWireServer } from '@weaver/testing';
import { attrs, launchChromium, logIn, openPage, screenshot, texts } from './fixtures/console-browser';

/** A priced model behind the OpenAI wire format: the ledger's costs are not zero, and the test can hold a call. */
const MODELS = (endpoint: string) => `
version: 1
models:
  - name: console-model
    provider: openai-compatible
    endpoint: ${endpoint}
    capabilities: [text, streaming, embeddings]
    max_context: 4096
    cost: { input_per_token: 0.000001, output_per_token: 0.000002 }
`;

interface RunView { runId: string; status: string; error: string | null; failedStep: string | null; steps: Array<{ step: string; durationMs: number }> }
interface ModelCall { step: string; agent: string; model: string; inputTokens: number; outputTokens: number; costUsd: number }

/**
 * The web console (apps/gateway/console, served at /console/) in Debian's headless chromium
 * against the whole stack: a run that completes and one that fails (and dead-letters), read
 * through the page as a user would — by what the DOM shows, compared with the REST API.
 * Screenshots of each step go to test-artifacts/console/.
 */
describe('the web console in a real browser', () => {
  let stack: RunningStack & { namespace: string };
  let provider: OpenAIWireServer;
  let acme: { tenantId: string; apiKey: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let done: RunView;
  let failed: RunView;

  const http = (path: string, init: RequestInit & { key?: string; admin?: boolean } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.admin ? { 'x-admin-token': stack.adminToken } : {}) } });
  const startRun = async (topic: string): Promise<string> => {
    const res = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'content-pipeline', input: { topic } }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run: RunView }).run.runId;
  };
  async function runToEnd(runId: string): Promise<RunView> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const { run } = (await (await http(`/v1/runs/${runId}`, { key: acme.apiKey })).json()) as { run: RunView };
      if (run.status === 'completed' || run.status === 'failed') return run;
    }
    throw new Error(`run ${runId} did not end`);
  }
  /** Navigates inside the page (hash) and waits for what the new view shows. */
  async function go(hash: string, selector: string): Promise<void> {
    // Expressions as text: they run in the page, whose globals (location, document) this program's types do not have.
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    await page.waitForSelector(selector);
  }

  beforeAll(async () => {
    provider = await new OpenAIWireServer().start();
    const modelsFile = join(mkdtempSync(join(tmpdir(), 'weaver-console-e2e-')), 'models.yaml');
    writeFileSync(modelsFile, MODELS(`${provider.url}/v1`));
    stack = await startTestStack('console', { env: { router: { ROUTER_MODELS_FILE: modelsFile } } });
    acme = await stack.createTenant('console-acme');
    done = await runToEnd(await startRun('Consoles'));
    failed = await runToEnd(await startRun('')); // breaks the researcher's input schema: fails, dead-letters
    browser = await launchChromium();
    ({ page, errors: pageErrors } = await openPage(browser));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await provider?.stop();
  });

  it('is served at /console/ with a strict content security policy, and nothing but its own files', async () => {
    const bare = await fetch(`${stack.gatewayUrl}/console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([302, '/console/']);
    const index = await fetch(`${stack.gatewayUrl}/console/`);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('src="js/main.js"');
    expect((await fetch(`${stack.gatewayUrl}/console/js/main.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    for (const path of ['/console/nope.js', '/console/..%2F..%2Fpackage.json', '/console/js/../../src/main.ts']) expect([path, (await fetch(`${stack.gatewayUrl}${path}`)).status]).toEqual([path, 404]);
  });

  it('GET /v1/runs/{runId}/model-calls: the run\'s calls from the ledger, for its tenant only', async () => {
    const { calls } = (await (await http(`/v1/runs/${done.runId}/model-calls`, { key: acme.apiKey })).json()) as { calls: ModelCall[] };
    expect(calls.map((c) => `${c.step}/${c.agent}/${c.model}`)).toEqual(['researcher/researcher/console-model', 'writer/writer/console-model', 'reviewer/reviewer/console-model']);
    for (const c of calls) expect(c.costUsd).toBeCloseTo(c.inputTokens * 0.000001 + c.outputTokens * 0.000002, 9);
    const other = await stack.createTenant('console-other');
    expect((await http(`/v1/runs/${done.runId}/model-calls`, { key: other.apiKey })).status).toBe(404);
    expect((await http('/v1/runs/not-a-run/model-calls', { key: acme.apiKey })).status).toBe(400);
    expect((await http(`/v1/runs/${done.runId}/model-calls`)).status).toBe(401);
  });

  it('refuses a bad key at sign-in, then signs in with the tenant key and the admin token', async () => {
    await page.goto(`${stack.gatewayUrl}/console/`);
    await page.waitForSelector('form#login');
    await page.type('#api-key', 'wv_not-a-key');
    await page.click('form#login button[type=submit]');
    await page.waitForSelector('#login-message .notice-error');
    expect((await texts(page, '#login-message'))[0]).toContain('refused');
    await screenshot(page, '01-login-refused');
    await page.goto(`${stack.gatewayUrl}/console/`);
    await logIn(page, { apiKey: acme.apiKey, adminToken: stack.adminToken });
    await page.waitForSelector('#runs tbody tr');
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
  });

  it('lists the runs with their status, the failed one with its step and error', async () => {
    await page.waitForSelector(`#runs tr[data-run-id="${done.runId}"]`);
    await page.waitForSelector(`#runs tr[data-run-id="${failed.runId}"]`);
    expect(await attrs(page, `#runs tr[data-run-id="${done.runId}"]`, 'data-status')).toEqual(['completed']);
    expect(await attrs(page, `#runs tr[data-run-id="${failed.runId}"]`, 'data-status')).toEqual(['failed']);
    const error = (await texts(page, `#runs tr[data-run-id="${failed.runId}"] td[data-col="error"]`))[0];
    expect(error).toMatch(/^researcher: .*input\.topic/);
    await screenshot(page, '02-runs');
  });

  it("shows a run's steps with their timings, its timeline, and its model calls with tokens and cost", async () => {
    await go(`#/runs/${done.runId}`, '#run-summary[data-status="completed"]');
    await page.waitForSelector('#model-calls tbody tr');
    expect(await attrs(page, '#steps tbody tr', 'data-step')).toEqual(done.steps.map((s) => s.step));
    expect((await attrs(page, '#steps tbody tr', 'data-duration-ms')).map(Number)).toEqual(done.steps.map((s) => s.durationMs));
    expect(await attrs(page, '[data-chart="timeline"] g.span', 'data-step')).toEqual(done.steps.map((s) => s.step));
    expect((await texts(page, '#run-input'))[0]).toContain('"topic": "Consoles"');
    const { calls } = (await (await http(`/v1/runs/${done.runId}/model-calls`, { key: acme.apiKey })).json()) as { calls: ModelCall[] };
    expect(await attrs(page, '#model-calls tbody tr', 'data-step')).toEqual(calls.map((c) => c.step));
    expect((await attrs(page, '#model-calls tbody tr', 'data-input-tokens')).map(Number)).toEqual(calls.map((c) => c.inputTokens));
    expect((await attrs(page, '#model-calls tbody tr', 'data-cost-usd')).map(Number)).toEqual(calls.map((c) => c.costUsd));
    const total = calls.reduce((n, c) => n + c.costUsd, 0);
    expect(Number((await attrs(page, '#model-call-totals', 'data-cost-usd'))[0])).toBeCloseTo(total, 12);
    expect((await texts(page, '#model-call-totals'))[0]).toContain('3 calls');
    await screenshot(page, '03-run-completed');
  });

  it("shows a failed run's error, and that it made no model call", async () => {
    await go(`#/runs/${failed.runId}`, '#run-summary[data-status="failed"]');
    await page.waitForSelector('#run-error');
    expect((await texts(page, '#run-error'))[0]).toMatch(/^researcher: .*input\.topic/);
    await page.waitForFunction(`document.querySelector('main').textContent.includes('No model calls recorded for this run.')`);
    await screenshot(page, '04-run-failed');
  });

  it('follows a live run over its event stream until it completes', async () => {
    const held = provider.holdNext('/chat/completions'); // the researcher's call waits until the page listens
    const runId = await startRun('Live consoles');
    await go(`#/runs/${runId}`, '#events li[data-kind="snapshot"]');
    await held.reached;
    expect(await attrs(page, '#run-summary', 'data-status')).not.toEqual(['completed']);
    await screenshot(page, '05-run-live');
    held.release();
    await page.waitForSelector('#events li[data-kind="run.completed"]');
    await page.waitForSelector('#run-summary[data-status="completed"]');
    expect(await attrs(page, '#events li[data-kind="step.completed"]', 'data-kind')).toHaveLength(3);
    await page.waitForFunction(`document.querySelectorAll('#model-calls tbody tr').length === 3`);
    await screenshot(page, '06-run-live-completed');
  });

  it('shows the agents and their health', async () => {
    await go('#/agents', '#agents tbody tr');
    expect((await attrs(page, '#agents tr[data-agent]', 'data-agent')).sort()).toEqual(['researcher', 'reviewer', 'writer']);
    expect(await attrs(page, '#agents tr[data-agent]', 'data-health')).toEqual(['healthy', 'healthy', 'healthy']);
    expect((await attrs(page, '#agents li[data-instance]', 'data-health')).every((h) => h === 'healthy')).toBe(true);
    await screenshot(page, '07-agents');
  });

  it('draws the cost per workflow, agent and model from the ledger, and the cross-tenant chart or says it is not available', async () => {
    await go('#/costs', '[data-chart="cost-per-workflow"] g.bar');
    const usage = (await (await http(`/v1/admin/tenants/${acme.tenantId}/usage?groupBy=agent`, { admin: true })).json()) as { totals: { costUsd: number }; groups: Array<{ agent: string; costUsd: number }> };
    expect(await attrs(page, '[data-chart="cost-per-workflow"] g.bar', 'data-label')).toEqual(['content-pipeline']);
    expect(Number((await attrs(page, '[data-chart="cost-per-workflow"] g.bar', 'data-value'))[0])).toBeCloseTo(usage.totals.costUsd, 9);
    const agentBars = await page.$$eval('[data-chart="cost-per-agent"] g.bar', (gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value')), g.querySelector('rect')?.getAttribute('width')]));
    expect(agentBars.map(([label]) => label).sort()).toEqual(usage.groups.map((g) => g.agent).sort());
    for (const g of usage.groups) expect(agentBars.find(([label]) => label === g.agent)?.[1]).toBeCloseTo(g.costUsd, 9);
    expect(agentBars.every(([, , width]) => Number(width) > 0)).toBe(true);
    expect(await attrs(page, '[data-chart="cost-per-model"] g.bar', 'data-label')).toEqual(['console-model']);
    // The tenant list is another item's route (GET /v1/admin/tenants): drawn when served, a clear notice when not.
    await page.waitForSelector('#all-tenant-costs[data-loaded]');
    const tenantsServed = (await http('/v1/admin/tenants', { admin: true })).status !== 404;
    if (tenantsServed) expect((await attrs(page, '[data-chart="cost-per-tenant"] g.bar', 'data-label')).length).toBeGreaterThan(0);
    else expect((await texts(page, '#all-tenant-costs .notice-unavailable'))[0]).toContain('not available');
    await screenshot(page, '08-costs');
  });

  it('lists dead letters with their errors and replays them, or says the list is not available and replays the group', async () => {
    await go('#/dead-letters', '#dead-letters-body[data-loaded]');
    const group = `${stack.namespace}.weaver.agent.researcher`;
    if ((await http('/v1/admin/dead-letters', { admin: true })).status === 404) {
      expect((await texts(page, '#dead-letters-body .notice-unavailable'))[0]).toContain('not available');
      await page.type('#replay-group', group);
      await page.click('#group-replay button[type=submit]');
    } else {
      await page.waitForSelector(`#dead-letters tr[data-run-id="${failed.runId}"]`);
      expect((await texts(page, `#dead-letters tr[data-run-id="${failed.runId}"] td[data-col="error"]`))[0]).toContain('input.topic');
      await page.click(`#dead-letters tr[data-run-id="${failed.runId}"] button.replay-one`);
    }
    await page.waitForSelector('#dlq-message .notice-info');
    expect((await texts(page, '#dlq-message'))[0]).toMatch(/Replay/);
    await screenshot(page, '09-dead-letters');
  });

  it('ran without a script error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
