import type { Lang } from './templates';

/**
 * Held-out templates: written with the dev ones, never run against the detector while it was
 * being developed (the bench reports them separately). Different sentence shapes: values at
 * the start of a sentence, in lists, in brackets, after colons, without cue words, in
 * informal chat style, several of one type in one sentence.
 */
export const HELD_OUT_TEMPLATES: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    'hey, it’s {person} again — can you text me at {phone}? my work mail is {email}',
    'Attendees: {person}; {person}; {person} ({org}).',
    '{address} is where {person} lives now, per the form dated {date}.',
    'Payment details (card {card}, exp. 09/27) were typed into ticket {order}.',
    'Reference {id} belongs to {tperson}.',
    'Servers {ip} and {ip} returned 503 after release {version}.',
    'The ledger shows {price} paid on {date} under invoice {invoice}, {qty} units of SKU {sku}.',
  ],
  de: [
    'Kurze Info: {person} ist ab {date} unter {phone} erreichbar.',
    'Teilnehmer: {person}, {person} und {tperson} ({org}).',
    'Zahlungsempfänger {org}, IBAN {iban}, Betrag {price}.',
    'Nummer {id} gehört zu {person}.',
    'Artikel {sku}: {qty} Stück zu je {price}, Rechnung {invoice} vom {date}.',
  ],
  fr: [
    'Petit rappel : {person} habite désormais {address}.',
    'Participants : {person}, {person} et {tperson} de {org}.',
    'Écrivez-moi plutôt sur {email} ou appelez le {phone} après {time}.',
    'Le numéro {id} figure sur le dossier de {person}.',
    'Facture {invoice} du {date} : {qty} articles, total {price}, hausse de {percent}.',
  ],
  es: [
    'Oye, soy {person}, llámame al {phone} cuando puedas.',
    'Asistentes: {person}, {person} y {tperson} ({org}).',
    'Vivo en {address} desde {year}.',
    'Documento {id} a nombre de {person}.',
    'Factura {invoice} del {date}: {qty} unidades del artículo {sku} por {price}.',
  ],
  it: [
    'Ciao, sono {person}: scrivimi a {email} o chiamami al {phone}.',
    'Partecipanti: {person}, {person} e {tperson} di {org}.',
    'Dal {date} il nuovo indirizzo è {address}.',
    'Codice {id} associato a {person}.',
    'Fattura {invoice} del {date}: {qty} pezzi del codice {sku}, totale {price}.',
  ],
  nl: [
    'Hoi, met {person}. Bel me even op {phone}?',
    'Aanwezig: {person}, {person} en {tperson} ({org}).',
    'Sinds {year} woon ik op {address}.',
    'Nummer {id} staat op naam van {person}.',
    'Factuur {invoice} van {date}: {qty} stuks van artikel {sku}, totaal {price}.',
  ],
};
