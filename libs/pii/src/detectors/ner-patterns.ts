import { HONORIFICS, NAME_PARTICLES } from './name-gazetteer';

/** Regex sources shared by the person, organisation and address rules (all used with the `u` flag). */
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A capitalised word: "Müller", "O'Brien", "Jean-Luc", "McAllister" (not an acronym such as "API"). */
export const CAP = String.raw`(?:\p{Lu}['’]\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}[\p{L}'’]*(?:-\p{Lu}\p{Ll}[\p{L}'’]*)?)`;
export const PARTICLE = `(?:${NAME_PARTICLES.map(esc).join('|')})`;
export const HONORIFIC = `(?:${[...HONORIFICS].sort((a, b) => b.length - a.length).map(esc).join('|')})\\.?`;

/** Runs of capitalised words, with name particles allowed between them. */
export const CAP_RUN = new RegExp(`(?<![\\p{L}\\p{N}])${CAP}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)*${CAP})*`, 'gu');
// Case-insensitive: titles are lower case mid-sentence in Dutch, Italian, Spanish and French ("mevrouw Bakker", "signor Rossi").
// Group 1: name particles between the title and the capitalised name ("mevrouw de Graaf").
export const HONORIFIC_BEFORE = new RegExp(`(?:^|[^\\p{L}])${HONORIFIC}[ \\t]+((?:${PARTICLE}[ \\t]+)*)$`, 'iu');
export const PARTICLE_WORD = new RegExp(`^${PARTICLE}$`, 'u');

/** The capitalised tokens of a run with their offsets in the source text. */
export function tokensOf(run: string, at: number): Array<{ text: string; start: number; end: number }> {
  return [...run.matchAll(/\S+/g)].map((t) => ({ text: t[0], start: at + t.index, end: at + t.index + t[0].length }));
}

/** Trims the punctuation compromise leaves on a span ("Street," "London."), keeping "Inc." style dots. */
export function trimSpan(text: string, start: number, end: number, keepDot: boolean): [number, number] {
  while (start < end && /[\s"'“”‘’(«]/.test(text[start] ?? '')) start++;
  while (end > start && /[\s,;:!?"'“”‘’)»]/.test(text[end - 1] ?? '')) end--;
  if (!keepDot) while (end > start && text[end - 1] === '.') end--;
  return [start, end];
}
