import { ValidationError } from '@weaver/errors';
import { buildCatalog } from '../catalog/model-catalog';
import { parseModelsFile } from '../catalog/models-file.loader';
import { ClassificationCeilingError, NoCapableModelError } from '../router-errors';
import { EndpointStats } from './endpoint-stats';
import { planRoute } from './route-planner';

// Three models: a cheap external one (default ceiling confidential), a dearer external one
// declared `internal` only, and a self-hosted one (default ceiling restricted, the dearest).
const catalog = buildCatalog(
  parseModelsFile(
    `
version: 1
defaults: { policy: cheapest }
models:
  - { name: cheap, provider: openai, capabilities: [text], max_context: 8000, cost: { input_per_token: 0.000001, output_per_token: 0.000001 } }
  - { name: public-only, provider: openai, capabilities: [text], max_context: 8000, max_classification: internal, cost: { input_per_token: 0.0000001, output_per_token: 0.0000001 } }
  - { name: onprem, provider: openai-compatible, endpoint: "http://127.0.0.1:9/v1", self_hosted: true, capabilities: [text], max_context: 8000, cost: { input_per_token: 0.00001, output_per_token: 0.00001 } }
`,
    'models.yaml',
  ),
  {},
);
const caller = (classification: string[]) => ({ tenantId: 't', workflow: 'w', agent: 'a', runId: 'r', step: 's', classification });
const needs = { capabilities: ['text' as const], promptTokens: 10, outputTokens: 10 };
const plan = (classification: string[], modelHint?: string) => planRoute(catalog, caller(classification), { ...needs, modelHint }, new EndpointStats()).chain.map((m) => m.name);

describe('planRoute and classification ceilings', () => {
  it('routes each level only to models cleared for it, cheapest first', () => {
    expect(plan(['public'])).toEqual(['public-only', 'cheap', 'onprem']);
    expect(plan([])).toEqual(['public-only', 'cheap', 'onprem']); // unlabelled is internal
    expect(plan(['pii'])).toEqual(['cheap', 'onprem']); // pii is at least confidential
    expect(plan(['restricted'])).toEqual(['onprem']);
  });

  it('refuses a named model above its ceiling instead of silently replacing it', () => {
    expect(() => plan(['restricted'], 'cheap')).toThrow(ClassificationCeilingError);
    expect(() => plan(['confidential'], 'public-only')).toThrow(/may receive data up to "internal"; this request is "confidential"/);
    expect(plan(['restricted'], 'onprem')).toEqual(['onprem']);
  });

  it('refuses labels outside the closed set (the old case-sensitive "Restricted" hole)', () => {
    expect(() => plan(['Restricted'])).toThrow(ValidationError);
    expect(() => plan(['Restricted'])).toThrow(/did you mean "restricted"/);
  });

  it('names the ceiling when no model may take the data', () => {
    const onlyExternal = buildCatalog(parseModelsFile(`version: 1\nmodels:\n  - { name: cheap, provider: openai, capabilities: [text], max_context: 8000, cost: { input_per_token: 0, output_per_token: 0 } }\n`, 'models.yaml'), {});
    const err = (() => {
      try {
        planRoute(onlyExternal, caller(['restricted']), needs, new EndpointStats());
      } catch (e) {
        return e as NoCapableModelError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err).toBeInstanceOf(NoCapableModelError);
    expect(err.details['rejected']).toEqual({ cheap: 'cleared up to confidential (request is restricted)' });
  });
});
