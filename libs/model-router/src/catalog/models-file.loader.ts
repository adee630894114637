import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, type FieldViolation } from '@weaver/errors';
import { knownProviders, providerTraits } from '@weaver/models';
import { modelsFileSchema, type ModelsFile } from './models-file.schema';

type Path = ReadonlyArray<string | number>;

const fieldOf = (path: Path): string =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(root)';

/** `file:line` of the deepest node that exists along `path` (a missing field points at its parent). */
function locate(doc: Document, lines: LineCounter, file: string, path: Path): string {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
  }
  return file;
}

/** Cross-references zod cannot see: unique names, known providers, fallbacks/arms/overrides naming real models. */
function crossCheck(cfg: ModelsFile): Array<{ path: Path; rule: string }> {
  const out: Array<{ path: Path; rule: string }> = [];
  const names = new Set<string>();
  const providers = knownProviders();
  cfg.models.forEach((m, i) => {
    if (names.has(m.name)) out.push({ path: ['models', i, 'name'], rule: `duplicate model name "${m.name}"` });
    names.add(m.name);
    if (!providers.includes(m.provider)) out.push({ path: ['models', i, 'provider'], rule: `must be one of ${providers.join(', ')}` });
    const traits = providerTraits(m.provider);
    if (traits.endpointRequired && !m.endpoint) out.push({ path: ['models', i, 'endpoint'], rule: `is required for provider ${m.provider}` });
    // Declaring a capability the provider's API lacks would route calls that must fail.
    const embeddings = m.capabilities.indexOf('embeddings');
    if (!traits.embeddings && embeddings >= 0) {
      out.push({ path: ['models', i, 'capabilities', embeddings], rule: `provider ${m.provider} has no embeddings API; route embeddings to another model` });
    }
    if (!traits.chat && m.capabilities.some((c) => c !== 'embeddings')) {
      out.push({ path: ['models', i, 'capabilities'], rule: `provider ${m.provider} serves embeddings only: capabilities must be [embeddings]` });
    }
  });
  const known = (path: Path, model: string): void => void (names.has(model) || out.push({ path, rule: `names no model in models: "${model}"` }));
  cfg.models.forEach((m, i) => m.fallbacks.forEach((f, j) => known(['models', i, 'fallbacks', j], f)));
  cfg.experiments.forEach((e, i) => e.arms.forEach((a, j) => known(['experiments', i, 'arms', j, 'model'], a.model)));
  for (const scope of ['tenants', 'workflows'] as const) {
    for (const [key, o] of Object.entries(cfg.routing[scope])) {
      o.models?.forEach((m, j) => known(['routing', scope, key, 'models', j], m));
      o.prefer?.forEach((m, j) => known(['routing', scope, key, 'prefer', j], m));
    }
  }
  return out;
}

/**
 * Parse and validate models.yaml text. Every problem is reported at once, each as
 * `<file>:<line> <field>` with the rule it broke, in one ConfigError.
 */
export function parseModelsFile(text: string, file: string): ModelsFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ field: `${file}:${lines.linePos(e.pos[0]).line}`, rule: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
  const violation = (path: Path, rule: string): FieldViolation => ({ field: `${locate(doc, lines, file, path)} ${fieldOf(path)}`, rule });
  const parsed = modelsFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ConfigError(file, parsed.error.issues.map((i) => violation(i.path as Path, i.message)));
  }
  const problems = crossCheck(parsed.data);
  if (problems.length) throw new ConfigError(file, problems.map((p) => violation(p.path, p.rule)));
  return parsed.data;
}

export function loadModelsFile(file: string): ModelsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ field: file, rule: `cannot be read: ${(err as Error).message}` }]);
  }
  return parseModelsFile(text, file);
}
