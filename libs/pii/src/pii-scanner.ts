import { CAPITALISED_AFTER_FIRST, compromiseFindings } from './detectors/compromise';
import { detectAddresses } from './detectors/address.detector';
import { detectCards, detectIbans } from './detectors/card-iban.detector';
import { detectEmails, detectIpAddresses } from './detectors/email-ip.detector';
import { detectNationalIds } from './detectors/national-id.detector';
import { detectOrganisations } from './detectors/organisation.detector';
import { detectPersons } from './detectors/person.detector';
import { detectPhones } from './detectors/phone.detector';
import { PII_TYPES, type PiiSpan, type PiiType } from './pii-span';
import { resolveOverlaps } from './resolve-overlaps';
import { applyPolicy, type MaskedText, type PiiContext } from './pii-masking';
import type { PiiPolicy } from './pii-policy';

export interface PiiScannerOptions {
  /** Only these types are looked for (default: all); skipping person/organisation skips the NLP parse. */
  readonly types?: readonly PiiType[];
  /**
   * Whether compromise's parse adds persons and organisations to the rules' (default true).
   * It is most of the cost (milliseconds per KB, see docs/benchmarks.md); without it the
   * gazetteer, title and proper-name rules still run.
   */
  readonly compromise?: boolean;
}

const HAS_DIGIT_OR_AT = /[\d@]/;
// CAPITALISED_AFTER_FIRST (a capital then lower case, not the first word) is what names,
// organisations and streets all need. A lower-case name, or an organisation written only in
// capitals ("IBM"), is missed: that is the price of the fast path. "I", "ID" and "API" keep it.

/**
 * Finds PII in text: the structured detectors (validated) and the name/organisation/address
 * rules plus compromise, overlaps resolved (resolve-overlaps.ts). The fast path: text with no
 * digit and no '@' runs no structured detector, text with no capitalised word after its first
 * runs no NLP, so plain lower-case prose costs two regex tests.
 */
export class PiiScanner {
  private readonly types: ReadonlySet<PiiType>;
  private readonly useCompromise: boolean;

  constructor(opts: PiiScannerOptions = {}) {
    this.types = new Set(opts.types ?? PII_TYPES);
    this.useCompromise = opts.compromise ?? true;
  }

  scan(text: string): PiiSpan[] {
    const structured = HAS_DIGIT_OR_AT.test(text);
    const named = CAPITALISED_AFTER_FIRST.test(text);
    if (!structured && !named) return [];
    const want = (t: PiiType): boolean => this.types.has(t);
    const found: PiiSpan[] = [];
    if (structured) {
      if (want('email')) found.push(...detectEmails(text));
      if (want('credit_card')) found.push(...detectCards(text));
      if (want('iban')) found.push(...detectIbans(text));
      if (want('national_id')) found.push(...detectNationalIds(text));
      if (want('ip_address')) found.push(...detectIpAddresses(text));
      if (want('phone')) found.push(...detectPhones(text, found));
    }
    if (named) {
      if (want('address') && structured) found.push(...detectAddresses(text));
      const needNlp = this.useCompromise && (want('person') || want('organisation'));
      const nlp = needNlp ? compromiseFindings(text) : undefined;
      if (want('organisation')) found.push(...detectOrganisations(text, nlp));
      if (want('person')) found.push(...detectPersons(text, nlp));
    }
    return resolveOverlaps(found);
  }

  /** Scan and apply the tenant's policy (pii-masking.ts): the masked text and counts per type. */
  apply(text: string, policy: PiiPolicy, ctx: PiiContext): Promise<MaskedText> {
    return applyPolicy(this, text, policy, ctx);
  }
}
