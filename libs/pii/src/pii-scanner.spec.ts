import { compromiseFindings } from './detectors/compromise';
import { PiiScanner } from './pii-scanner';
import { resolveOverlaps } from './resolve-overlaps';
import { spanOf } from './pii-span';

// The real parse, counted: the fast-path test asserts it is skipped.
jest.mock('./detectors/compromise', () => {
  const actual = jest.requireActual<typeof import('./detectors/compromise')>('./detectors/compromise');
  return { ...actual, compromiseFindings: jest.fn(actual.compromiseFindings) };
});
const parse = compromiseFindings as jest.MockedFunction<typeof compromiseFindings>;

describe('PiiScanner', () => {
  const scanner = new PiiScanner();

  it('returns sorted, non-overlapping spans whose text is at their offsets', () => {
    const text = 'Please call Anna Weber on +49 30 1234567, card 4111 1111 1111 1111, at Hauptstraße 5, 10115 Berlin.';
    const spans = scanner.scan(text);
    expect(spans.map((s) => [s.type, s.text])).toEqual([
      ['person', 'Anna Weber'],
      ['phone', '+49 30 1234567'],
      ['credit_card', '4111 1111 1111 1111'],
      ['address', 'Hauptstraße 5, 10115 Berlin'],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('lets a validated identifier win over an overlapping weaker span: a phone with its country code over an IPv4 reading', () => {
    expect(scanner.scan('reach me at +34 91.108.13.74 please').map((s) => [s.type, s.text])).toEqual([['phone', '+34 91.108.13.74']]);
  });

  it('finds nothing in number-like text that is not PII', () => {
    expect(scanner.scan('Order 4839201734 of 12.05.2024 totals €1,299.00; version 1.2.3.4, build 3f2a9c1, 14:30.')).toEqual([]);
  });

  it('looks only for the types it was given', () => {
    const only = new PiiScanner({ types: ['email'] });
    expect(only.scan('Anna Weber, anna@example.com, +49 30 1234567').map((s) => s.type)).toEqual(['email']);
  });
});

describe('the fast path', () => {
  it('runs no NLP parse for text without a capitalised word after the first, nor any detector without digit or @', () => {
    parse.mockClear();
    const scanner = new PiiScanner();
    expect(scanner.scan('the agent read the page and wrote a short summary of what it found.')).toEqual([]);
    expect(scanner.scan('Summary: everything went as planned, no follow-up needed.')).toEqual([]);
    expect(scanner.scan('Summary: I checked the API and the ID, all fine.')).toEqual([]); // capitals, but no capitalised word
    expect(parse).not.toHaveBeenCalled();
    scanner.scan('then Anna Weber called');
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('skips the compromise parse when told to, keeping the rule-based names', () => {
    parse.mockClear();
    expect(new PiiScanner({ compromise: false }).scan('then Anna Weber called').map((s) => s.text)).toEqual(['Anna Weber']);
    expect(parse).not.toHaveBeenCalled();
  });
});

describe('resolveOverlaps', () => {
  it('is deterministic: type priority, then length, then position, whatever the input order', () => {
    const text = 'x 123-45-6789 y';
    const id = spanOf(text, 'national_id', 2, 13, 0.99);
    const phone = spanOf(text, 'phone', 2, 13, 0.95);
    const person = spanOf(text, 'person', 0, 4, 0.5);
    expect(resolveOverlaps([phone, person, id])).toEqual([id]);
    expect(resolveOverlaps([id, phone, person])).toEqual([id]);
    const a = spanOf('Anna Maria Weber', 'person', 0, 10, 0.85);
    const b = spanOf('Anna Maria Weber', 'person', 5, 16, 0.5);
    expect(resolveOverlaps([a, b])).toEqual([b]);
  });
});
