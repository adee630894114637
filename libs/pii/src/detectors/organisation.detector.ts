import { spanOf, type PiiSpan } from '../pii-span';
import type { CompromiseFindings } from './compromise';
import { CAP } from './ner-patterns';

// Legal forms that end an organisation's name in the corpus languages' jurisdictions.
const LEGAL_FORMS = [
  'Inc\\.', 'Inc', 'Ltd\\.', 'Ltd', 'LLC', 'LLP', 'PLC', 'plc', 'Corp\\.', 'Corporation', 'Co\\.', 'Company', 'Group', 'Holdings?',
  'GmbH & Co\\. KG', 'GmbH', 'AG', 'KG', 'SE', 'e\\.V\\.', 'S\\.A\\.S\\.', 'SAS', 'SARL', 'S\\.A\\.', 'SA', 'S\\.L\\.', 'SL',
  'S\\.p\\.A\\.', 'SpA', 'S\\.r\\.l\\.', 'Srl', 'B\\.V\\.', 'BV', 'N\\.V\\.', 'NV', 'AB', 'ASA', 'A/S', 'Oy', 'Pty Ltd',
];
const NAME_WORD = `(?:${CAP}|\\p{Lu}{2,6}|&|and|und|et|y|e|of|de|du|des|der|di|van)`;
const SUFFIXED = new RegExp(`(?<![\\p{L}])${CAP}(?:[ \\t]+${NAME_WORD}){0,4}[ \\t,]+(?:${LEGAL_FORMS.join('|')})(?![\\p{L}])`, 'gu');
// Institutions named by their kind first: "University of Leeds", "Banco Santander", "Stichting Open Data".
const PREFIXED = new RegExp(
  `(?<![\\p{L}])(?:University|Universität|Université|Universidad|Università|Universiteit|Bank|Banco|Banca|Banque|Stichting|Fondation|Fundación|Fondazione|Stiftung|Institut|Instituto|Istituto)(?:[ \\t]+(?:of|de|di|der|des|du|van|voor|für|per|del|della|la|le))?(?:[ \\t]+${CAP}){1,3}`,
  'gu',
);

export function detectOrganisations(text: string, nlp: CompromiseFindings | undefined): PiiSpan[] {
  const out: PiiSpan[] = [];
  for (const m of text.matchAll(SUFFIXED)) out.push(spanOf(text, 'organisation', m.index, m.index + m[0].length, 0.85, 'legal-form'));
  for (const m of text.matchAll(PREFIXED)) out.push(spanOf(text, 'organisation', m.index, m.index + m[0].length, 0.8, 'institution'));
  for (const [s, e] of nlp?.organisations ?? []) {
    let start = s;
    let end = e;
    while (start < end && /[\s"'“”(]/.test(text[start] ?? '')) start++;
    while (end > start && /[\s,;:!?"'“”)]/.test(text[end - 1] ?? '')) end--;
    // compromise keeps a sentence's full stop on "Acme Corp."; only legal-form dots belong to the name.
    if (text[end - 1] === '.' && !/(?:Inc|Ltd|Corp|Co|[A-Z])\.$/.test(text.slice(start, end))) end--;
    if (end - start < 3 || !/^\p{Lu}/u.test(text.slice(start, end))) continue;
    out.push(spanOf(text, 'organisation', start, end, 0.65, 'compromise'));
  }
  return out;
}
