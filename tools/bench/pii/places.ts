import type { Prng } from './prng';

/**
 * Street addresses as each country's post writes them (number before or after the street,
 * unit, postcode, town; French post writes the town in capitals) and organisations with and
 * without a legal form. Street and company stems are this file's own lists.
 */
const split = (s: string): string[] => s.trim().split(/\s*,\s*/);
const US_STREETS = split('Oak, Maple, Washington, Lincoln, Main, Elm, Sunset, Lakeview, Cedar Hollow, Pine Ridge, Jefferson, Madison, Park, Highland, River, Willow Creek, Franklin, 5th, 42nd');
const US_SUFFIX = split('Street, St, St., Avenue, Ave, Ave., Boulevard, Blvd, Road, Rd., Lane, Drive, Way, Court, Place');
const US_CITIES: ReadonlyArray<[string, string, string]> = [['Springfield', 'IL', '62704'], ['Austin', 'TX', '78701'], ['Portland', 'OR', '97205'], ['Boston', 'MA', '02116'], ['Denver', 'CO', '80202'], ['San Jose', 'CA', '95113'], ['Brooklyn', 'NY', '11201'], ['Seattle', 'WA', '98101']];
const UK_STREETS = split('Church, Victoria, Station, Mill, Kingsway, Queens, Abbey, Manor, Orchard, Beech, Granville, Harrow');
const UK_SUFFIX = split('Road, Street, Lane, Close, Crescent, Gardens, Terrace, Mews, Avenue, Way');
const UK_TOWNS: ReadonlyArray<[string, string]> = [['London', 'SW1A 1AA'], ['Manchester', 'M1 4BT'], ['Leeds', 'LS1 5DL'], ['Bristol', 'BS1 6QF'], ['Edinburgh', 'EH1 2NG'], ['Cardiff', 'CF10 1EP'], ['Oxford', 'OX1 3BG'], ['York', 'YO1 7HH']];
const DE_STEMS = split('Haupt, Bahnhof, Schiller, Goethe, Linden, Garten, Kirch, Berg, Mozart, Friedrich, Kastanien, Rosen, Eichen, Mühlen');
const DE_FORMS = split('straße, strasse, str., weg, allee, platz, gasse, ring');
const DE_TOWNS: ReadonlyArray<[string, string]> = [['10115', 'Berlin'], ['80331', 'München'], ['50667', 'Köln'], ['20095', 'Hamburg'], ['60311', 'Frankfurt am Main'], ['70173', 'Stuttgart'], ['01067', 'Dresden'], ['1010', 'Wien'], ['8001', 'Zürich']];
const NL_STEMS = split('Kerk, Dorps, Molen, Heren, Keizers, Prinsen, Wilhelmina, Oranje, Beatrix, Linden, Vondel, Nassau');
const NL_FORMS = split('straat, gracht, laan, weg, plein, kade, singel');
const NL_TOWNS = split('Amsterdam, Rotterdam, Utrecht, Den Haag, Eindhoven, Groningen, Leiden, Haarlem');
const FR_TYPES = split('rue, avenue, boulevard, place, allée, chemin, impasse, quai');
const FR_NAMES = split('de la République, Victor Hugo, des Lilas, du Général Leclerc, Jean Jaurès, de la Paix, Pasteur, des Écoles, Saint-Michel, du Port');
const FR_TOWNS: ReadonlyArray<[string, string]> = [['75002', 'Paris'], ['69003', 'Lyon'], ['13001', 'Marseille'], ['31000', 'Toulouse'], ['33000', 'Bordeaux'], ['44000', 'Nantes'], ['59000', 'Lille'], ['67000', 'Strasbourg']];
const ES_TYPES = split('Calle, C/, Avenida, Avda., Plaza, Paseo, Camino, Carrer');
const ES_NAMES = split('Mayor, de Alcalá, Gran Vía, del Prado, de la Castellana, San Vicente, Serrano, de Colón, Real, de Gràcia');
const ES_TOWNS: ReadonlyArray<[string, string]> = [['28013', 'Madrid'], ['08008', 'Barcelona'], ['46002', 'Valencia'], ['41001', 'Sevilla'], ['48001', 'Bilbao'], ['29015', 'Málaga'], ['50001', 'Zaragoza']];
const IT_TYPES = split('Via, Viale, Piazza, Corso, Largo, Vicolo');
const IT_NAMES = split('Roma, Garibaldi, Giuseppe Mazzini, Dante Alighieri, XX Settembre, Vittorio Emanuele II, dei Mille, della Repubblica, Cavour, San Marco');
const IT_TOWNS: ReadonlyArray<[string, string, string]> = [['00184', 'Roma', 'RM'], ['20121', 'Milano', 'MI'], ['10121', 'Torino', 'TO'], ['80133', 'Napoli', 'NA'], ['50123', 'Firenze', 'FI'], ['40121', 'Bologna', 'BO']];

export type AddressCountry = 'us' | 'uk' | 'de' | 'nl' | 'fr' | 'es' | 'it';
export const ADDRESS_COUNTRIES: readonly AddressCountry[] = ['us', 'uk', 'de', 'nl', 'fr', 'es', 'it'];

export function address(rng: Prng, country: AddressCountry): string {
  const n = rng.int(1, 240);
  switch (country) {
    case 'us': {
      const [city, state, zip] = rng.pick(US_CITIES);
      const unit = rng.chance(0.25) ? rng.pick([`, Apt ${rng.int(1, 40)}`, ` Suite ${rng.int(100, 900)}`, ` #${rng.int(2, 30)}`]) : '';
      return `${rng.int(1, 9800)} ${rng.pick(US_STREETS)} ${rng.pick(US_SUFFIX)}${unit}, ${city}, ${state} ${zip}`;
    }
    case 'uk': {
      const [town, pc] = rng.pick(UK_TOWNS);
      const flat = rng.chance(0.2) ? `Flat ${rng.int(1, 12)}, ` : '';
      return `${flat}${n} ${rng.pick(UK_STREETS)} ${rng.pick(UK_SUFFIX)}, ${town}${rng.chance(0.8) ? ` ${pc}` : ''}`;
    }
    case 'de': {
      const [plz, town] = rng.pick(DE_TOWNS);
      const street = rng.chance(0.8) ? `${rng.pick(DE_STEMS)}${rng.pick(DE_FORMS)}` : rng.pick(['Berliner Straße', 'Am Markt', 'Kölner Str.', 'An der Alster', 'Unter den Linden']);
      return `${street} ${n}${rng.chance(0.15) ? rng.pick(['a', 'b', 'c']) : ''}${rng.chance(0.85) ? `, ${plz} ${town}` : ''}`;
    }
    case 'nl': {
      const pc = `${rng.int(1000, 9999)}${rng.pick([' ', ''])}${rng.letters(2)}`;
      return `${rng.pick(NL_STEMS)}${rng.pick(NL_FORMS)} ${n}${rng.chance(0.15) ? rng.pick(['A', '-2', ' hs']) : ''}${rng.chance(0.85) ? `, ${pc} ${rng.pick(NL_TOWNS)}` : ''}`;
    }
    case 'fr': {
      const [cp, town] = rng.pick(FR_TOWNS);
      const num = `${n}${rng.chance(0.1) ? ' bis' : ''}`;
      return `${num}${rng.pick(['', ','])} ${rng.pick(FR_TYPES)} ${rng.pick(FR_NAMES)}${rng.chance(0.85) ? `, ${cp} ${rng.chance(0.3) ? town.toUpperCase() : town}` : ''}`;
    }
    case 'es': {
      const [cp, town] = rng.pick(ES_TOWNS);
      const floor = rng.chance(0.3) ? `, ${rng.int(1, 9)}º ${rng.pick(['A', 'B', 'izda.', 'dcha.'])}` : '';
      return `${rng.pick(ES_TYPES)} ${rng.pick(ES_NAMES)}${rng.pick([', ', ' '])}${n}${floor}${rng.chance(0.85) ? `, ${cp} ${town}` : ''}`;
    }
    case 'it': {
      const [cap, town, prov] = rng.pick(IT_TOWNS);
      return `${rng.pick(IT_TYPES)} ${rng.pick(IT_NAMES)}${rng.pick([', ', ' '])}${n}${rng.chance(0.1) ? '/B' : ''}${rng.chance(0.85) ? `, ${cap} ${town}${rng.chance(0.4) ? ` (${prov})` : ''}` : ''}`;
    }
  }
}

const ORG_STEMS = split('Nordwind, Brightwater, Alpenblick, Lumière, Sol y Mar, Stella Alpina, Blauwe Haven, Kestrel, Hohenfels, Meridian, Castellano, Vellutini, Oosterhout, Brennan, Atlas, Fjordline, Argento, Pélican');
const ORG_TRADE = split('Logistik, Analytics, Consulting, Software, Bau, Conseil, Construcciones, Costruzioni, Installatietechniek, Systems, Medical, Energie, Foods, Capital');
const LEGAL = split('GmbH, AG, Ltd, Ltd., Inc., LLC, plc, SAS, SARL, S.A., S.L., S.p.A., S.r.l., B.V., N.V., KG');
const INSTITUTIONS = split('University of Leeds, Universität Heidelberg, Université de Lyon, Universidad de Salamanca, Università di Bologna, Universiteit Leiden, Stichting Groen Erfgoed, Fondazione Cariplo, Banco Atlántico, Bank of Valletta');

export function organisation(rng: Prng): string {
  const kind = rng.int(0, 9);
  if (kind <= 5) return `${rng.pick(ORG_STEMS)} ${rng.pick(ORG_TRADE)} ${rng.pick(LEGAL)}`;
  if (kind <= 7) return rng.pick(INSTITUTIONS);
  return `${rng.pick(ORG_STEMS)} ${rng.pick(ORG_TRADE)}`; // no legal form: how people usually write it
}
