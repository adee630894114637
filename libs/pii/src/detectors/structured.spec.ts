import { detectCards, detectIbans } from './card-iban.detector';
import { detectEmails, detectIpAddresses } from './email-ip.detector';
import { detectNationalIds } from './national-id.detector';
import { detectPhones, NATIONAL_COUNTRIES } from './phone.detector';

const texts = (spans: Array<{ text: string }>): string[] => spans.map((s) => s.text);

describe('email', () => {
  it('finds addresses with plus tags, subdomains and a trailing full stop outside', () => {
    expect(texts(detectEmails('Mail anna.k+news@mail.example.co.uk. Or bob@x.io, thanks'))).toEqual(['anna.k+news@mail.example.co.uk', 'bob@x.io']);
  });
  it('ignores handles and incomplete domains', () => {
    expect(detectEmails('ping @anna or anna@localhost')).toEqual([]);
  });
});

describe('phone', () => {
  it.each([
    ['+49 30 1234567', 'DE'],
    ['0049 30 1234567', 'DE'],
    ['+44 (0)20 7946 0018', 'GB'],
    ['+33 6 12 34 56 78', 'FR'],
    ['(415) 555-2671', 'US'],
    ['415.555.2671', 'US'],
  ])('finds %s (%s)', (phone, country) => {
    expect(detectPhones(`call ${phone} today`).map((f) => [f.text, f.kind])).toEqual([[phone, country]]);
  });

  // A national number can be valid in several plans; kind is the first country of NATIONAL_COUNTRIES that accepts it.
  it.each(['030/1234567', '06 12345678', '01 42 68 53 00', '612 345 678', '347 123 4567', '0171 2345678'])('finds the national number %s', (phone) => {
    const found = detectPhones(`Tel. ${phone}.`);
    expect(texts(found)).toEqual([phone]);
    expect(NATIONAL_COUNTRIES).toContain(found[0]!.kind);
  });

  it('needs a cue word for a bare digit run that does not start with the trunk 0', () => {
    expect(detectPhones('order 4155552671 shipped')).toEqual([]);
    expect(texts(detectPhones('phone: 4155552671'))).toEqual(['4155552671']);
  });

  it('rejects dates, order numbers cut out of longer dashed runs, and invalid ranges', () => {
    expect(detectPhones('due 12.05.2024 and 2024-05-12')).toEqual([]);
    expect(detectPhones('order 204-5512217-5084329')).toEqual([]);
    expect(detectPhones('ref #07103949')).toEqual([]);
    expect(detectPhones('+49 0000 000')).toEqual([]);
  });

  it('splits two numbers in one run at the space between them', () => {
    expect(texts(detectPhones('Tel. +49 30 1234567 +33 1 42 68 53 00'))).toEqual(['+49 30 1234567', '+33 1 42 68 53 00']);
  });
});

describe('credit card', () => {
  it('finds brands in groups with spaces, dashes or none', () => {
    const found = detectCards('4111 1111 1111 1111, 5500-0000-0000-0004, 378282246310005 and 3530 1113 3330 0000');
    expect(found.map((f) => [f.text, f.kind])).toEqual([
      ['4111 1111 1111 1111', 'visa'],
      ['5500-0000-0000-0004', 'mastercard'],
      ['378282246310005', 'amex'],
      ['3530 1113 3330 0000', 'jcb'],
    ]);
  });
  it('rejects a failed Luhn check and numbers outside every issuer range', () => {
    expect(detectCards('4111 1111 1111 1112')).toEqual([]);
    expect(detectCards('9111 1111 1111 1116')).toEqual([]); // Luhn-valid, no issuer starts with 9
  });
});

describe('IBAN', () => {
  it('finds IBANs with and without spaces and stops at the last valid group', () => {
    expect(texts(detectIbans('to DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432.'))).toEqual(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432']);
  });
  it('rejects a bad check and a wrong length', () => {
    expect(detectIbans('DE89 3704 0044 0532 0130 01 and DE89 3704 0044 0532 0130')).toEqual([]);
  });
});

describe('IP addresses', () => {
  it('finds IPv4 and IPv6 (full and compressed), not four-part versions or times', () => {
    const found = detectIpAddresses('from 10.0.0.1 and 2001:db8::8a2e:370:7334, fe80::1: ok; version 1.2.3.4 at 12:30:45, 999.1.1.1');
    expect(found.map((f) => [f.text, f.kind])).toEqual([
      ['10.0.0.1', 'ipv4'],
      ['2001:db8::8a2e:370:7334', 'ipv6'],
      ['fe80::1', 'ipv6'],
    ]);
  });
});

describe('national ids in text', () => {
  it.each([
    ['SSN 123-45-6789', '123-45-6789', 'us_ssn'],
    ['NINO AB 12 34 56 C', 'AB 12 34 56 C', 'uk_nino'],
    ['BSN 1234.56.782', '1234.56.782', 'nl_bsn'],
    ['DNI 12345678-Z', '12345678-Z', 'es_dni'],
    ['NIE X1234567L', 'X1234567L', 'es_dni'],
    ['CF RSSMRA85T10A562S', 'RSSMRA85T10A562S', 'it_cf'],
    ['NIR 1 84 12 76 451 089 46', '1 84 12 76 451 089 46', 'fr_nir'],
    ['pnr 19811218-9876', '19811218-9876', 'se_pnr'],
    ['Steuer-ID 86095742719', '86095742719', 'de_steuer_id'],
    ['IdNr 86 095 742 719', '86 095 742 719', 'de_steuer_id'],
  ])('%s', (text, value, kind) => {
    expect(detectNationalIds(text).map((f) => [f.text, f.kind])).toEqual([[value, kind]]);
  });

  it('requires a cue for ids whose checksum random numbers pass too often', () => {
    expect(detectNationalIds('order 123456782 and 86095742719 and 123456789')).toEqual([]);
    expect(detectNationalIds('mijn BSN is 123456782').map((f) => f.kind)).toEqual(['nl_bsn']);
  });

  it('rejects failed checksums', () => {
    expect(detectNationalIds('SSN 666-45-6789, DNI 12345678A, CF RSSMRA85T10A562T, NIR 1 84 12 76 451 089 47, 811218-9875')).toEqual([]);
  });
});
