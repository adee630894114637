import { type FieldViolation, ValidationError } from '@weaver/errors';

/**
 * Data classification: one level from a closed, ordered set plus any of a closed set of named
 * labels. On the wire (envelopes, rows, gRPC) it stays the `string[]` it always was, in one
 * canonical order (level first, then labels sorted), so old records still decode; everything
 * that decides on it goes through this file.
 */
export const LEVELS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Level = (typeof LEVELS)[number];

/** Named labels; each implies a minimum level (personal, health and card data are never below confidential). */
export const LABELS = ['pii', 'phi', 'pci'] as const;
export type Label = (typeof LABELS)[number];

const LABEL_FLOOR: Record<Label, Level> = { pii: 'confidential', phi: 'confidential', pci: 'confidential' };

/** Unlabelled data is internal: nothing is public unless someone said so. */
export const DEFAULT_LEVEL: Level = 'internal';

export interface Classification {
  level: Level;
  labels: readonly Label[];
}

const rank = (level: Level): number => LEVELS.indexOf(level);
const isLevel = (s: string): s is Level => (LEVELS as readonly string[]).includes(s);
const isLabel = (s: string): s is Label => (LABELS as readonly string[]).includes(s);

/** The rule text a bad label gets, e.g. `"Restricted" is not a classification (did you mean "restricted"?); allowed: …`. */
function ruleFor(value: string): string {
  const lower = value.toLowerCase().trim();
  const hint = isLevel(lower) || isLabel(lower) ? ` (did you mean "${lower}"? classifications are lower case)` : '';
  return `"${value}" is not a classification${hint}; allowed levels ${LEVELS.join(' < ')}, labels ${LABELS.join(', ')}`;
}

/** The violations of a wire value, each naming `field[i]`; empty when valid. */
export function classificationViolations(value: unknown, field = 'classification'): FieldViolation[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ field, rule: 'must be an array of classification strings, e.g. ["confidential", "pii"]' }];
  const violations: FieldViolation[] = [];
  let levels = 0;
  value.forEach((v, i) => {
    if (typeof v !== 'string') violations.push({ field: `${field}[${i}]`, rule: 'must be a string' });
    else if (isLevel(v)) levels += 1;
    else if (!isLabel(v)) violations.push({ field: `${field}[${i}]`, rule: ruleFor(v) });
  });
  if (levels > 1) violations.push({ field, rule: `at most one level (${LEVELS.join(', ')}) may be given` });
  return violations;
}

/** Parses a wire value (REST body, gRPC field, envelope, config), throwing a ValidationError naming the field. */
export function parseClassification(value: unknown, field = 'classification', context = 'request'): Classification {
  const violations = classificationViolations(value, field);
  if (violations.length) throw new ValidationError(violations, context);
  return fromValid((value ?? []) as string[]);
}

/** The canonical wire form of a wire value (validated), e.g. `["pii", "confidential"]` → `["confidential", "pii"]`. */
export function canonicalClassification(value: unknown, field = 'classification', context = 'request'): string[] {
  return toWire(parseClassification(value, field, context));
}

function fromValid(values: readonly string[]): Classification {
  const labels = [...new Set(values.filter(isLabel))].sort();
  const given = values.find(isLevel);
  return { level: raise(given ?? DEFAULT_LEVEL, ...labels.map((l) => LABEL_FLOOR[l])), labels };
}

function raise(level: Level, ...floors: Level[]): Level {
  return floors.reduce<Level>((acc, f) => (rank(f) > rank(acc) ? f : acc), level);
}

/** Wire form: the level first, then the labels in order. */
export function toWire(c: Classification): string[] {
  return [c.level, ...c.labels];
}

/**
 * The classification of something derived from all of `inputs`: the highest level and every
 * label. A step's output, result and memory items are at least as classified as what it read.
 */
export function joinClassifications(...inputs: readonly Classification[]): Classification {
  const labels = [...new Set(inputs.flatMap((c) => c.labels))].sort();
  if (inputs.length === 0) return { level: DEFAULT_LEVEL, labels };
  const level = raise('public', ...inputs.map((c) => c.level), ...labels.map((l) => LABEL_FLOOR[l]));
  return { level, labels };
}

/** Wire-to-wire join for already-validated values (envelopes that passed an entry point); `undefined` inputs are absent, not unlabelled. */
export function joinWire(...inputs: readonly (readonly string[] | undefined)[]): string[] {
  return toWire(joinClassifications(...inputs.filter((v): v is readonly string[] => v !== undefined).map((v) => parseClassification(v))));
}

/** Whether data classified `c` may go to something cleared up to `ceiling` (a model's or tool's declared maximum). */
export function allows(ceiling: Level, c: Classification): boolean {
  return rank(c.level) <= rank(ceiling);
}

/** Level comparison for callers that hold plain levels (config, policies). */
export function levelRank(level: Level): number {
  return rank(level);
}

export function isClassificationLevel(value: string): value is Level {
  return isLevel(value);
}
