import { join } from 'node:path';
import { NoCapableModelError } from '../router-errors';
import { EndpointStats } from '../routing/endpoint-stats';
import { planRoute } from '../routing/route-planner';
import { validateModelCall } from '../request-validation';
import { buildCatalog } from './model-catalog';
import { loadModelsFile, parseModelsFile } from './models-file.loader';

// The plan's own config/models.yaml, verbatim (test/fixtures/plan-models.yaml): capability tags
// the router never knew (`code`, `analysis`, `domain-specific`), one `cost_per_token`, provider
// `self-hosted`, no `version`, and a model with neither price nor context window.
const PLAN_FILE = join(__dirname, '../../test/fixtures/plan-models.yaml');
const caller = { tenantId: '6f1c0a4e-3b2d-4c5e-9f70-1a2b3c4d5e6f', workflow: 'w', agent: 'a', runId: 'r', step: 's', classification: [] };

describe('the plan’s models.yaml, as written', () => {
  const file = loadModelsFile(PLAN_FILE);
  const catalog = buildCatalog(file, {});
  const route = (capabilities: string[], classification: string[] = []) =>
    planRoute(catalog, { ...caller, classification }, { capabilities, promptTokens: 100, outputTokens: 100 }, new EndpointStats()).chain.map((m) => m.name);

  it('loads, with the defaults documented in config/README.md', () => {
    expect(file.version).toBe(1);
    expect(file.models.map((m) => [m.name, m.provider, m.cost, m.max_context, m.self_hosted])).toEqual([
      ['gpt-4', 'openai', { input_per_token: 0.00003, output_per_token: 0.00003 }, 128000, false],
      ['custom-llama', 'self-hosted', { input_per_token: 0, output_per_token: 0 }, 4096, true],
    ]);
    expect(catalog.models.get('custom-llama')).toMatchObject({ endpoint: 'https://internal.company.com/v1', maxClassification: 'restricted' });
  });

  it('keeps unknown capabilities as tags, and every chat model serves text', () => {
    expect([...catalog.models.get('gpt-4')!.capabilitySet].sort()).toEqual(['analysis', 'code', 'text', 'vision']);
    expect([...catalog.models.get('custom-llama')!.capabilitySet].sort()).toEqual(['domain-specific', 'text']);
    expect(catalog.models.get('gpt-4')!.capabilities).toMatchObject({ modalities: ['text', 'vision'], inputCostPerToken: 0.00003, outputCostPerToken: 0.00003 });
  });

  it('routes on the tags: required capabilities pick the capable model, the cheapest first otherwise', () => {
    expect(route(['text', 'code'])).toEqual(['gpt-4']);
    expect(route(['text', 'vision', 'analysis'])).toEqual(['gpt-4']);
    expect(route(['text', 'domain-specific'])).toEqual(['custom-llama']);
    expect(route(['text'])).toEqual(['custom-llama', 'gpt-4']); // self-hosted, unpriced: free
    expect(route(['text'], ['restricted'])).toEqual(['custom-llama']); // only the self-hosted one is cleared
    expect(() => route(['text', 'legal'])).toThrow(NoCapableModelError);
    expect(() => route(['text', 'legal'])).toThrow(/lacks capability legal/);
  });

  it('accepts a tag in a request’s required_capabilities and names the rule for a malformed one', () => {
    const call = { ...caller, messages: [{ role: 'user' as const, content: 'x' }], tools: [], jsonMode: false };
    expect(() => validateModelCall({ ...call, requiredCapabilities: ['domain-specific', 'code'] })).not.toThrow();
    expect(() => validateModelCall({ ...call, requiredCapabilities: ['Domain Specific'] })).toThrow(/required_capabilities\[0\]: must be a capability tag/);
  });
});

describe('prices: cost_per_token alongside cost', () => {
  const model = (price: string, extra = '') => `models:\n  - name: m\n    provider: openai\n    capabilities: [text]\n${price}${extra}`;

  it('takes cost.input_per_token / output_per_token where given and cost_per_token for the other direction', () => {
    const f = parseModelsFile(model('    cost_per_token: 0.00001\n    cost: { output_per_token: 0.00004 }\n'), 'm.yaml');
    expect(f.models[0]!.cost).toEqual({ input_per_token: 0.00001, output_per_token: 0.00004 });
  });

  it('refuses a hosted model with no price (it would always look cheapest), naming the field', () => {
    expect(() => parseModelsFile(model(''), 'm.yaml')).toThrow(/models\[0\]\.cost_per_token: a price is required/);
    expect(() => parseModelsFile(model('    cost: { input_per_token: 0.1 }\n'), 'm.yaml')).toThrow(/models\[0\]\.cost: a price is required/);
    expect(parseModelsFile(model('', '    self_hosted: true\n    endpoint: http://10.0.0.1/v1\n'), 'm.yaml').models[0]!.cost).toEqual({ input_per_token: 0, output_per_token: 0 });
  });

  it('requires an endpoint for self-hosted, vllm and azure-openai; refuses chat tags on an embeddings-only provider', () => {
    const selfHosted = 'models:\n  - { name: l, provider: self-hosted, capabilities: [text] }\n';
    expect(() => parseModelsFile(selfHosted, 'm.yaml')).toThrow(/models\[0\]\.endpoint: is required for provider self-hosted/);
    const tei = 'models:\n  - { name: e, provider: tei, endpoint: "http://tei:8080", capabilities: [embeddings, text], cost_per_token: 0 }\n';
    expect(() => parseModelsFile(tei, 'm.yaml')).toThrow(/provider tei serves embeddings only/);
  });
});
