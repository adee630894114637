import type { FieldViolation } from '@weaver/errors';

/**
 * Event-type patterns an agent may require instead of an exact type (`requires: ['content.*']`).
 * The grammar, on the dot-separated words of an event type (`content.researched`):
 *
 *   pattern  := segment ('.' segment)*
 *   segment  := word | '*' | '#'
 *   word     := [a-z][a-z0-9_-]*          (as in an event type)
 *   '*'      := exactly one word            content.* ⊇ content.drafted, not content.draft.v2
 *   '#'      := zero or more words          content.# ⊇ content, content.drafted, content.a.b
 *
 * A wildcard is a whole segment (`content*` is refused), and a pattern names at least one word
 * (`*` or `#.#` alone would consume every event, the agent's own output included). Matching is
 * on whole types, never on topic names, so the `weaver.evt.` prefix and `.v1` suffix never match.
 */
const WORD = /^[a-z][a-z0-9_-]*$/;

/** True when `requirement` is a pattern (has a wildcard segment), not an exact event type. */
export const isEventPattern = (requirement: string): boolean => requirement.includes('*') || requirement.includes('#');

/** What is wrong with a pattern, as violations of `field` (empty: valid). */
export function eventPatternProblems(pattern: string, field: string): FieldViolation[] {
  const segments = pattern.split('.');
  const problems: FieldViolation[] = [];
  segments.forEach((s, i) => {
    if (s === '*' || s === '#' || WORD.test(s)) return;
    const rule = s === '' ? 'has an empty segment (two dots, or a dot at an end)' : /[*#]/.test(s) ? `segment ${i + 1} "${s}": a wildcard (* = one word, # = any number of words) must be a whole segment` : `segment ${i + 1} "${s}": must be a lowercase word ([a-z][a-z0-9_-]*), * or #`;
    problems.push({ field, rule: `"${pattern}" ${rule}` });
  });
  if (!problems.length && segments.every((s) => s === '*' || s === '#')) problems.push({ field, rule: `"${pattern}" must name at least one word (a pattern of wildcards only would consume every event, its agent's own output included)` });
  return problems;
}

const cache = new Map<string, string[]>();
const segmentsOf = (pattern: string): string[] => {
  let s = cache.get(pattern);
  if (s === undefined) cache.set(pattern, (s = pattern.split('.')));
  return s;
};

/** Whether `type` satisfies `requirement`: equal to an exact type, or matched by a pattern. */
export function matchesEventType(requirement: string, type: string): boolean {
  if (!isEventPattern(requirement)) return requirement === type;
  return matchFrom(segmentsOf(requirement), 0, type.split('.'), 0);
}

function matchFrom(pattern: string[], p: number, words: string[], w: number): boolean {
  if (p === pattern.length) return w === words.length;
  const seg = pattern[p]!;
  if (seg === '#') {
    for (let k = w; k <= words.length; k++) if (matchFrom(pattern, p + 1, words, k)) return true;
    return false;
  }
  if (w === words.length) return false;
  return (seg === '*' || seg === words[w]) && matchFrom(pattern, p + 1, words, w + 1);
}

/** The types of `types` that satisfy any of `requirements`, in the order given. */
export const typesMatching = (requirements: readonly string[], types: Iterable<string>): string[] => [...types].filter((t) => requirements.some((r) => matchesEventType(r, t)));
