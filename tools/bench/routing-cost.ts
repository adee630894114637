/**
 * Routing that saves money, measured: a mixed set of agent steps, each tagged with the
 * capabilities it needs, sent through the router (ModelRouter: routing → budget claim in
 * PostgreSQL → provider → ledger) twice — once with the cost-based policy (`cheapest`, the
 * default, choosing among the models that have the step's capabilities) and once pinned to
 * the most capable model that can serve the step (most capability tags, the dearer on a tie:
 * "always send it to the flagship"). Each provider is a local server speaking its own wire
 * format (OpenAI, Anthropic, Gemini, Mistral, Cohere, vLLM for the self-hosted model), so the
 * tokens billed are the ones each provider reported. Prints the cost both ways, the reduction,
 * and the capability match rate of both arms (every step must be served by a model that has
 * what it needs; the bench fails otherwise).
 *
 *   node -r @swc-node/register tools/bench/routing-cost.ts   (needs nothing running)
 *
 * Two catalogues: the plan's models.yaml as written plus six hosted models
 * (routing-cost-catalog.ts), and the same with the self-hosted model priced at an amortised
 * BENCH_SELF_HOSTED_PRICE (default 0.0000002 USD/token) instead of free. BENCH_PORT_BASE puts
 * PostgreSQL and the six wire servers on base+0 … base+6 (default: free ports).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceDatabaseUrl, TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { migrateAll } from '@weaver/migrate';
import { buildCatalog, ModelRouter, parseModelsFile, ROUTER_SCHEMA, type CatalogModel, type ModelsFile } from '@weaver/model-router';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource } from '@weaver/persistence';
import { freePort } from '@weaver/service-kit';
import { AnthropicWireServer, bootstrapDatabase, CohereWireServer, GeminiWireServer, MistralWireServer, OpenAIWireServer, type ProviderWireServer } from '@weaver/testing';
import { startPostgres, stopPostgres } from '../postgres/src/embedded';
import { EXTRA_MODELS, TASKS, type TaskKind } from './routing-cost-catalog';

const PLAN_FILE = join(__dirname, '../../libs/model-router/test/fixtures/plan-models.yaml');
const SELF_HOSTED_PRICE = Number(process.env['BENCH_SELF_HOSTED_PRICE'] ?? 0.0000002);
const TENANT = randomUUID();
const CONCURRENCY = 8;
const lookup = { name: 'crm_lookup', description: 'Look up a CRM account', parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] } };

/** The most capable model that can serve a step: most tags, then the dearer (the flagship tier). */
function flagshipFor(models: CatalogModel[], needs: string[]): CatalogModel {
  const capable = models.filter((m) => needs.every((c) => m.capabilitySet.has(c)));
  const price = (m: CatalogModel) => m.capabilities.inputCostPerToken + m.capabilities.outputCostPerToken;
  const best = capable.sort((a, b) => b.capabilitySet.size - a.capabilitySet.size || price(b) - price(a))[0];
  if (!best) throw new Error(`no model has ${needs.join(', ')}`);
  return best;
}

interface Served {
  task: TaskKind;
  model: string;
  costUsd: number;
  tokens: number;
  matched: boolean;
}

async function runArm(router: ModelRouter, file: ModelsFile, arm: 'routed' | 'flagship'): Promise<Served[]> {
  const catalog = buildCatalog(file, {});
  const models = [...catalog.models.values()];
  const steps = TASKS.flatMap((task) => Array.from({ length: task.count }, (_, i) => ({ task, i })));
  const out: Served[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < steps.length) {
        const { task, i } = steps[next++]!;
        const needs = ['text', ...task.needs];
        const runId = randomUUID();
        const r = await router.generate({
          tenantId: TENANT,
          workflow: 'routing-cost',
          agent: task.name.replace(/\W+/g, '-'),
          runId,
          step: `${arm}-${i}`,
          idempotencyKey: `${arm}/${runId}`,
          classification: [],
          messages: [{ role: 'system', content: 'You are a careful assistant.' }, { role: 'user', content: `${task.prompt} (#${i})` }],
          tools: task.needs.includes('tools') ? [lookup] : [],
          jsonMode: task.needs.includes('json'),
          requiredCapabilities: task.needs.filter((c) => c !== 'tools' && c !== 'json'),
          maxTokens: task.maxTokens,
          modelHint: arm === 'flagship' ? flagshipFor(models, needs).name : undefined,
          noCache: true,
        });
        const served = catalog.models.get(r.model);
        out.push({ task, model: r.model, costUsd: r.costUsd, tokens: r.inputTokens + r.outputTokens, matched: served !== undefined && needs.every((c) => served.capabilitySet.has(c)) });
      }
    }),
  );
  return out;
}

const usd = (x: number): string => `$${x.toFixed(4)}`;
const sum = (xs: Served[], f: (s: Served) => number): number => xs.reduce((n, s) => n + f(s), 0);
const modelsOf = (xs: Served[]): string => [...new Set(xs.map((s) => s.model))].sort().join(', ');

function report(title: string, routed: Served[], flagship: Served[]): string {
  const rows = ['| step | needs | steps | cost-based routing → | cost | flagship → | cost |', '| --- | --- | ---: | --- | ---: | --- | ---: |'];
  for (const t of TASKS) {
    const r = routed.filter((s) => s.task === t);
    const f = flagship.filter((s) => s.task === t);
    rows.push(`| ${t.name} | ${['text', ...t.needs].join(', ')} | ${t.count} | ${modelsOf(r)} | ${usd(sum(r, (s) => s.costUsd))} | ${modelsOf(f)} | ${usd(sum(f, (s) => s.costUsd))} |`);
  }
  const costR = sum(routed, (s) => s.costUsd);
  const costF = sum(flagship, (s) => s.costUsd);
  const match = (xs: Served[]) => `${xs.filter((s) => s.matched).length}/${xs.length}`;
  return [
    `## ${title}`,
    '',
    ...rows,
    '',
    `total cost: cost-based routing ${usd(costR)} (${sum(routed, (s) => s.tokens)} tokens) vs flagship ${usd(costF)} (${sum(flagship, (s) => s.tokens)} tokens)`,
    `cost reduction: ${(100 * (1 - costR / costF)).toFixed(1)} %`,
    `capability match: cost-based ${match(routed)}, flagship ${match(flagship)}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'weaver-bench-routing-cost-'));
  chmodSync(work, 0o755); // embedded PostgreSQL runs as its own OS user when we are root
  const base = Number(process.env['BENCH_PORT_BASE'] ?? 0);
  const pg = await startPostgres({ dataDir: join(work, 'pg'), port: base ? base : await freePort(), durability: 'fast' });
  const db = await bootstrapDatabase(pg.superuserUrl, 'bench_routing_cost');
  await migrateAll(db.ownerUrl, TEST_SERVICE_PASSWORDS);
  const ds = await createDataSource({ url: serviceDatabaseUrl(db.ownerUrl, 'router', TEST_SERVICE_PASSWORDS.router), schema: ROUTER_SCHEMA, poolSize: 20 }).initialize();
  const port = (i: number) => (base ? base + i : 0);
  const big = { contextWindow: 1_000_000 };
  const servers = {
    openai: await new OpenAIWireServer(big).start(port(1)),
    anthropic: await new AnthropicWireServer(big).start(port(2)),
    gemini: await new GeminiWireServer(big).start(port(3)),
    mistral: await new MistralWireServer(big).start(port(4)),
    cohere: await new CohereWireServer(big).start(port(5)),
    'self-hosted': await new OpenAIWireServer({ ...big, flavour: 'vllm' }).start(port(6)),
  } satisfies Record<string, ProviderWireServer>;
  const endpointOf: Record<string, string> = { ...Object.fromEntries(Object.entries(servers).map(([p, s]) => [p, s.url])), openai: `${servers.openai.url}/v1`, 'self-hosted': `${servers['self-hosted'].url}/v1` };

  // The plan's file as written, with six more models appended to its `models:` list.
  const asWritten = parseModelsFile(readFileSync(PLAN_FILE, 'utf8') + EXTRA_MODELS, 'plan-models.yaml + routing-cost-catalog.ts');
  const local = (f: ModelsFile): ModelsFile => ({ ...f, models: f.models.map((m) => ({ ...m, endpoint: endpointOf[m.provider] })) });
  const priced: ModelsFile = { ...asWritten, models: asWritten.models.map((m) => (m.provider === 'self-hosted' ? { ...m, cost: { input_per_token: SELF_HOSTED_PRICE, output_per_token: SELF_HOSTED_PRICE } } : m)) };
  // The plan's gpt-4 names no api_key_env: the OpenAI SDK then reads its own OPENAI_API_KEY.
  process.env['OPENAI_API_KEY'] ??= 'sk-bench-local';

  const out: string[] = [`${TASKS.reduce((n, t) => n + t.count, 0)} steps of ${TASKS.length} kinds, concurrency ${CONCURRENCY}, tenant ${TENANT}\n`];
  for (const [title, file] of [
    ['The plan’s models.yaml as written (custom-llama unpriced: free) + six hosted models', local(asWritten)],
    [`Same, custom-llama priced at ${SELF_HOSTED_PRICE} USD/token (amortised GPU)`, local(priced)],
  ] as const) {
    const router = new ModelRouter({ file, env: { BENCH_KEY: 'bench-key' }, dataSource: ds, metrics: new Metrics('bench'), logger: createLogger('bench', { level: 'silent' }) });
    const routed = await runArm(router, file, 'routed');
    const flagship = await runArm(router, file, 'flagship');
    if ([...routed, ...flagship].some((s) => !s.matched)) throw new Error('a step was served by a model lacking a capability it needs');
    out.push(report(title, routed, flagship));
    await router.close();
  }
  process.stdout.write(out.join('\n'));

  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await ds.destroy();
  await stopPostgres(join(work, 'pg'));
  rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`routing-cost failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
