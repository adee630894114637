import { ConfigError } from '@weaver/errors';
import { parseModelsFile } from './models-file.loader';

const valid = `version: 1
models:
  - name: a
    provider: local-deterministic
    capabilities: [text]
    max_context: 1000
    cost: { input_per_token: 0, output_per_token: 0 }
`;

describe('parseModelsFile', () => {
  it('applies defaults to a minimal file', () => {
    const f = parseModelsFile(valid, 'models.yaml');
    expect(f.defaults.policy).toBe('cheapest');
    expect(f.models[0]).toMatchObject({ name: 'a', max_output_tokens: 4096, self_hosted: false, fallbacks: [] });
  });

  it('names the file, line and field of every problem', () => {
    const bad = valid.replace('max_context: 1000', 'max_context: lots').replace('[text]', '[text, "Tele Pathy"]');
    const err = (() => {
      try {
        parseModelsFile(bad, 'config/models.yaml');
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('config/models.yaml:5 models[0].capabilities[1]');
    expect(err.message).toContain('config/models.yaml:6 models[0].max_context: Invalid input: expected number');
  });

  it('checks references: providers, fallbacks, experiment arms', () => {
    const bad = `${valid}    fallbacks: [ghost]\n  - name: a\n    provider: carrier-pigeon\n    capabilities: [text]\n    max_context: 10\n    cost: { input_per_token: 0, output_per_token: 0 }\n`;
    expect(() => parseModelsFile(bad, 'm.yaml')).toThrow(/m\.yaml:8 models\[0\]\.fallbacks\[0\]: names no model in models: "ghost"/);
    expect(() => parseModelsFile(bad, 'm.yaml')).toThrow(/m\.yaml:9 models\[1\]\.name: duplicate model name "a"/);
    expect(() => parseModelsFile(bad, 'm.yaml')).toThrow(/models\[1\]\.provider: must be one of openai, /);
  });

  it('refuses the embeddings capability on an Anthropic model (no such API), naming the field', () => {
    const claude = valid.replace('provider: local-deterministic', 'provider: anthropic').replace('[text]', '[text, embeddings]');
    expect(() => parseModelsFile(claude, 'm.yaml')).toThrow(/m\.yaml:5 models\[0\]\.capabilities\[1\]: provider anthropic has no embeddings API/);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(() => parseModelsFile('version: 1\nmodels: [\n', 'm.yaml')).toThrow(/m\.yaml:\d+: YAML syntax/);
  });
});
