import { iso7064Mod1110, luhnCheckDigit, luhnValid, mod97 } from './checksums';
import { validIban } from './iban';
import { validDeSteuerId, validEsDniNie, validFrNir, validItCodiceFiscale, validNlBsn, validSePersonnummer, validUkNino, validUsSsn } from './national-ids';

describe('checksums', () => {
  it('Luhn accepts the test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('41a1')).toBe(false);
    expect(luhnCheckDigit('411111111111111')).toBe(1);
  });

  it('mod97 works beyond Number precision and ISO 7064 MOD 11,10 gives the Steuer-ID check digit', () => {
    expect(mod97('3214282912345698765432161182')).toBe(1);
    expect(iso7064Mod1110('8609574271')).toBe(9);
  });
});

describe('IBAN', () => {
  it.each(['DE89370400440532013000', 'GB82WEST12345698765432', 'NL91ABNA0417164300', 'FR1420041010050500013M02606', 'IT60X0542811101000000123456', 'ES9121000418450200051332', 'BE68539007547034'])('accepts %s', (iban) => {
    expect(validIban(iban)).toBe(true);
  });
  it('rejects a changed digit, a wrong length for the country, an unknown country', () => {
    expect(validIban('DE89370400440532013001')).toBe(false);
    expect(validIban('DE8937040044053201300')).toBe(false);
    expect(validIban('XX89370400440532013000')).toBe(false);
  });
});

describe('national ids', () => {
  it('US SSN: never-issued areas, groups and serials are rejected', () => {
    expect(validUsSsn('123456789')).toBe(true);
    for (const bad of ['000123456', '666123456', '900123456', '123004567', '123450000', '12345678']) expect(validUsSsn(bad)).toBe(false);
  });

  it('UK NINO: excluded prefix letters and pairs, suffix A-D', () => {
    expect(validUkNino('AB123456C')).toBe(true);
    for (const bad of ['DA123456C', 'AO123456C', 'BG123456C', 'GB123456A', 'AB123456E', 'AB12345C']) expect(validUkNino(bad)).toBe(false);
  });

  it('NL BSN: the 11-proof', () => {
    expect(validNlBsn('123456782')).toBe(true);
    expect(validNlBsn('111222333')).toBe(true);
    expect(validNlBsn('123456789')).toBe(false);
    expect(validNlBsn('000000000')).toBe(false);
  });

  it('ES DNI and NIE: the control letter', () => {
    expect(validEsDniNie('12345678Z')).toBe(true);
    expect(validEsDniNie('X1234567L')).toBe(true);
    expect(validEsDniNie('12345678A')).toBe(false);
    expect(validEsDniNie('X1234567A')).toBe(false);
    expect(validEsDniNie('X12345678L')).toBe(false);
  });

  it('IT codice fiscale: the check character and the day (women: +40)', () => {
    expect(validItCodiceFiscale('RSSMRA85T10A562S')).toBe(true);
    expect(validItCodiceFiscale('RSSMRA85T10A562T')).toBe(false);
    expect(validItCodiceFiscale('RSSMRA85T32A562S')).toBe(false);
  });

  it('FR NIR: the key, Corsica departments 2A/2B', () => {
    expect(validFrNir('184127645108946')).toBe(true);
    expect(validFrNir('269029934173285')).toBe(true);
    expect(validFrNir('184052A01234531')).toBe(true);
    expect(validFrNir('184127645108947')).toBe(false);
    expect(validFrNir('184137645108946')).toBe(false); // month 13
  });

  it('SE personnummer: Luhn over ten digits and a real date (day + 60: samordningsnummer)', () => {
    expect(validSePersonnummer('8112189876')).toBe(true);
    expect(validSePersonnummer('8112189875')).toBe(false);
    expect(validSePersonnummer('8113189876')).toBe(false);
  });

  it('DE Steuer-ID: digit repetition rule and MOD 11,10', () => {
    expect(validDeSteuerId('86095742719')).toBe(true);
    expect(validDeSteuerId('86095742718')).toBe(false); // check digit
    expect(validDeSteuerId('06095742719')).toBe(false); // leading 0
    expect(validDeSteuerId('12345678903')).toBe(false); // no digit repeated
    expect(validDeSteuerId('11123456780')).toBe(false); // three in a row
  });
});
