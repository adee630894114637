import type { LabelType } from '../pii-corpus';

/**
 * Values that come from no generator of the corpus: written by hand, once, after the detector
 * was developed and before it was run on them, and not changed after (the bench reports them
 * as "unseen values"). Formats and cultures the generators do not make: other countries'
 * addresses and phone layouts, names from cultures outside the name lists, organisations of
 * other shapes. Each value is put in neutral sentences (UNSEEN_FRAMES).
 */
export const UNSEEN_VALUES: Readonly<Partial<Record<LabelType, readonly string[]>>> = {
  person: [
    'Zoltán Kovács', 'Eszter Nagy', 'Jiří Dvořák', 'Tereza Procházková', 'Somchai Wongsawat', 'Maria Clara Santos',
    'Budi Santoso', 'Siti Rahmawati', 'Avraham Cohen', 'Noa Levi', 'Aroha Ngata', 'Tāne Walker', 'Mihai Popescu',
    'Ioana Ionescu', 'Bjarne Sørensen', 'Sinéad O’Connor', 'Ngozi Okonjo-Iweala', 'Thandiwe Ndlovu', 'Rafael Nadal Parera',
    'Ana de Armas', 'Carl-Johan Lindström', 'Hiroko Nishimura', 'Dilnoza Karimova', 'Ayodele Balogun',
  ],
  address: [
    '221B Baker Street, London NW1 6XE', '350 Fifth Avenue, New York, NY 10118', '1 Infinite Loop, Cupertino, CA 95014',
    'Unter den Linden 77, 10117 Berlin', 'Mariahilfer Straße 120, 1070 Wien', 'Bahnhofstrasse 45, 8001 Zürich',
    'Damrak 1, 1012 LG Amsterdam', 'Coolsingel 40, 3011 AD Rotterdam', '8 boulevard Haussmann, 75009 Paris',
    '35 rue du Faubourg Saint-Honoré, 75008 Paris', 'Paseo de la Castellana 259, 28046 Madrid', 'Carrer de Mallorca 401, 08013 Barcelona',
    'Via del Corso 18, 00186 Roma', 'Piazza del Duomo 1, 20122 Milano', 'Calle Larios 5, 29005 Málaga', 'Rue de la Loi 16, 1000 Bruxelles',
  ],
  phone: [
    '+1-415-555-2671', '+1 (212) 736-3100', '+49 (0)30 2274 5678', '+44 20 7946 0958', '+33 (0)1 44 55 66 77', '+39 02 8901 2345',
    '+34 934 12 34 56', '+31 (0)20 555 1234', '+41 44 668 18 00', '+43 1 53114 0', '0044 161 496 0000', '06-12 34 56 78',
    '030 / 22 74 56 78', '02 12 34 56 78', '0171-234 5678', '(0)20 7946 0958',
  ],
  organisation: [
    'Siemens Healthineers AG', 'Banco Bilbao Vizcaya Argentaria, S.A.', 'Koninklijke Philips N.V.', 'Assicurazioni Generali S.p.A.',
    'Rolls-Royce Holdings plc', 'Deutsche Bahn AG', 'Crédit Agricole S.A.', 'Ferrero International S.A.', 'Stichting Wikimedia Nederland',
    'Universität Wien', 'Universidad Complutense de Madrid', 'Acme Widgets, Inc.', 'Vandelay Industries LLC', 'Müller & Söhne GmbH & Co. KG',
  ],
  email: ['first.last@sub.domain.example', 'o’brien@example.ie', 'user+tag@example.museum', 'x_y-z@a.b.example.co.jp'],
};

/** Sentences in five languages; `{v}` is replaced by the value. */
export const UNSEEN_FRAMES: readonly string[] = [
  'For the record: {v}.',
  'We wrote to {v} yesterday and got no answer.',
  'Laut Akte ist {v} zuständig.',
  'Selon le dossier, {v} a répondu hier.',
  'Según el expediente, {v} no contestó.',
  'Volgens het dossier heeft {v} gebeld.',
];
