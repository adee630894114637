import { detectAddresses } from './address.detector';
import { compromiseFindings } from './compromise';
import { detectOrganisations } from './organisation.detector';
import { detectPersons } from './person.detector';

const persons = (text: string): string[] => detectPersons(text, compromiseFindings(text)).map((s) => s.text);
const orgs = (text: string): string[] => detectOrganisations(text, compromiseFindings(text)).map((s) => s.text);
const addresses = (text: string): string[] => detectAddresses(text).map((s) => s.text);

describe('persons', () => {
  it('finds names from the gazetteer with family names it does not know, in many cultures', () => {
    expect(persons('Forward it to Giuseppe Esposito-Ricci and Aisha Al-Mansouri.')).toEqual(expect.arrayContaining(['Giuseppe Esposito-Ricci', 'Aisha Al-Mansouri']));
    expect(persons('Ask Ursula von der Leyen.')).toEqual(expect.arrayContaining(['Ursula von der Leyen']));
  });

  it('finds a family name after a title, lower-case titles and particles included, without the title', () => {
    expect(persons('Ich habe Herr Schmidt angerufen.')).toContain('Schmidt');
    expect(persons('Daarna belde mevrouw de Graaf terug.')).toContain('de Graaf');
    expect(persons('Ne parlez pas à Mme Lefèvre.')).toContain('Lefèvre');
  });

  it('finds unknown names as runs of capitals, cut before a preposition particle', () => {
    expect(persons('Rückruf an Kagiso Nwosu von Stichting Groen.')).toContain('Kagiso Nwosu');
  });

  it('does not take function words, single given names or lower-case text for names', () => {
    expect(persons('Dear team, Grace will join. The Board met.')).toEqual([]);
    expect(persons('no names in here at all')).toEqual([]);
  });
});

describe('the compromise layer', () => {
  it('parses only sentences that can hold a name and maps offsets back to the text', () => {
    const text = 'the agent read the page. it wrote a summary!\nThen John Smith called Acme Corp. about it.';
    const found = compromiseFindings(text);
    expect(found.people.map(([s, e]) => text.slice(s, e))).toContain('John Smith');
    expect(compromiseFindings('all lower case. I saw the API docs.')).toEqual({ people: [], organisations: [] });
  });
});

describe('organisations', () => {
  it('finds names ending in a legal form and institutions named by their kind', () => {
    expect(orgs('Invoices to Nordwind Logistik GmbH and Rossi Costruzioni S.r.l., copy to the University of Leeds.')).toEqual(
      expect.arrayContaining(['Nordwind Logistik GmbH', 'Rossi Costruzioni S.r.l.', 'University of Leeds']),
    );
  });
});

describe('addresses', () => {
  it.each([
    ['1600 Pennsylvania Avenue NW, Washington, DC 20500'],
    ['Flat 3, 12 Station Road, Leeds LS1 5DL'],
    ['Hauptstraße 5a, 10115 Berlin'],
    ['Kölner Str. 41, 60311 Frankfurt am Main'],
    ['Keizersgracht 123 hs, 1015 CJ Amsterdam'],
    ['12 bis, rue de la Paix, 75002 PARIS'],
    ['Calle de Alcalá 45, 3º izda., 28013 Madrid'],
    ['Via XX Settembre 111/B, 00184 Roma (RM)'],
  ])('finds %s', (address) => {
    expect(addresses(`Send it to ${address}, please.`)).toEqual([address]);
  });

  it('needs a street word and a number: prose and bare numbers are not addresses', () => {
    expect(addresses('We met 12 people in Berlin on the main road.')).toEqual([]);
  });
});
