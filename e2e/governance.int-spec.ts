import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { OpenAIWireServer } from '@weaver/testing';

/**
 * Issue 10 items 1 and 5 through the whole stack (six service processes, debug logs: the most
 * they ever write): classification validated at intake and steering models; clients told
 * public errors with a ref the log can be searched by; logs free of the personal data and
 * secrets a run carried, in every path — the model's prompt, a step that fails quoting its
 * input, the dead letter.
 *
 * Two models: `external` (an OpenAI-compatible server, the cheapest, default ceiling
 * `confidential`) and the self-hosted stand-in (ceiling `restricted`).
 */
const MODELS = (endpoint: string) => `
version: 1
defaults: { policy: cheapest }
models:
  - name: external
    provider: openai-compatible
    endpoint: ${endpoint}
    capabilities: [text]
    max_context: 8192
    cost: { input_per_token: 0.000001, output_per_token: 0.000001 }
  - name: onprem
    provider: local-deterministic
    model: local-deterministic-v1
    capabilities: [text, embeddings]
    max_context: 32768
    self_hosted: true
    cost: { input_per_token: 0.00001, output_per_token: 0.00001 }
`;

/** Personal data a note carries: every value is distinctive, so a hit in a log is this run's. */
const CANARIES = {
  email: 'ada.canary@lovelace-example.org',
  phone: '+44 20 7946 0958',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
};
const NOTE = `Call Ada at ${CANARIES.phone} or ${CANARIES.email}; card ${CANARIES.card}, IBAN ${CANARIES.iban}.`;

interface RunView {
  runId: string;
  status: string;
  classification: string[];
  error: string | null;
  result: { summary?: string; model?: string } | null;
}

describe('data governance through the stack: classification, public errors, clean logs', () => {
  let stack: RunningStack & { namespace: string };
  let dataDir: string;
  let provider: OpenAIWireServer;
  let tenant: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    provider = await new OpenAIWireServer().start();
    const dir = mkdtempSync(join(tmpdir(), 'weaver-governance-'));
    const modelsFile = join(dir, 'models.yaml');
    writeFileSync(modelsFile, MODELS(`${provider.url}/v1`));
    dataDir = join(dir, 'stack');
    stack = await startTestStack('governance', { dataDir, workflows: ['e2e/fixtures/governance.workflow.ts'], logLevel: 'debug', env: { router: { ROUTER_MODELS_FILE: modelsFile } } });
    tenant = await stack.createTenant('governance');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await provider?.stop();
  });

  const post = (body: unknown) =>
    fetch(`${stack.gatewayUrl}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` }, body: JSON.stringify(body) });

  async function finished(runId: string): Promise<RunView> {
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const res = await fetch(`${stack.gatewayUrl}/v1/runs/${runId}`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
      const { run } = (await res.json()) as { run: RunView };
      if (run.status === 'completed' || run.status === 'failed') return run;
    }
    throw new Error(`run ${runId} did not finish`);
  }

  async function start(input: unknown, classification: string[]): Promise<RunView> {
    const res = await post({ workflow: 'note-filing', input, classification });
    expect(res.status).toBe(202);
    return finished(((await res.json()) as { run: { runId: string } }).run.runId);
  }

  it('refuses labels outside the closed set at intake, naming the field and the rule', async () => {
    const res = await post({ workflow: 'note-filing', input: { note: 'x' }, classification: ['confidential', 'Restricted'] });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; details: { violations: Array<{ field: string; rule: string }> } } };
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details.violations).toEqual([{ field: 'classification[1]', rule: expect.stringContaining('did you mean "restricted"') }]);
  });

  it('routes by level: public data to the cheapest model, restricted data only to the self-hosted one', async () => {
    const seen = provider.requests.length;
    const open = await start({ note: 'the weather is fine' }, ['public']);
    expect(open).toMatchObject({ status: 'completed', classification: ['public'], result: { model: 'external' } });
    expect(provider.requests.length).toBeGreaterThan(seen);

    const before = provider.requests.length;
    const secret = await start({ note: 'merger with Initech on the 3rd' }, ['restricted']);
    expect(secret).toMatchObject({ status: 'completed', classification: ['restricted'], result: { model: 'onprem' } });
    expect(provider.requests.length).toBe(before); // never reached the external provider
    expect(JSON.stringify(provider.requests)).not.toContain('Initech');

    // Labels are canonical (level first), and pii raises the level to confidential.
    const pii = await start({ note: 'hello' }, ['pii']);
    expect(pii.classification).toEqual(['confidential', 'pii']);

    // A model named explicitly above its ceiling is refused, not silently replaced.
    const named = await start({ note: 'merger', model: 'external' }, ['restricted']);
    expect(named.status).toBe('failed');
    expect(named.error).toContain('model external may receive data up to "confidential"; this request is "restricted"');
  });

  it('tells the client a public error with a ref, keeps the whole error in the log under it, and no log holds the run\'s personal data', async () => {
    const ok = await start({ note: NOTE }, ['pii']);
    expect(ok.status).toBe('completed');
    // Control: the data went all the way through (the client may read its own data back).
    expect(JSON.stringify(ok.result)).toContain(CANARIES.email);

    const failed = await start({ note: NOTE, fail: true }, ['pii']);
    expect(failed.status).toBe('failed');
    const ref = /^internal error \(INTERNAL, ref ([0-9a-f]{16})\)$/.exec(failed.error ?? '')?.[1];
    expect(ref).toBeDefined();

    const logs = readdirSync(join(dataDir, 'logs')).map((f) => ({ file: f, text: readFileSync(join(dataDir, 'logs', f), 'utf8') }));
    // The runner logged the whole failure under the ref the client was told (masked, not dropped).
    const line = logs.find((l) => l.file === 'agent-runner.log')!.text.split('\n').find((l) => l.includes(`"ref":"${ref}"`));
    expect(line).toBeDefined();
    expect(line).toContain('cannot file note');
    for (const [name, value] of Object.entries({ ...CANARIES, apiKey: tenant.apiKey })) {
      const hits = logs.filter((l) => l.text.includes(value) || l.text.includes(value.replace(/ /g, ''))).map((l) => l.file);
      expect({ name, hits }).toEqual({ name, hits: [] });
    }
    expect(logs.reduce((n, l) => n + l.text.length, 0)).toBeGreaterThan(10_000); // the logs have content to scan
  });
});
