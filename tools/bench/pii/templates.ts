/**
 * Sentence templates per language. Slots: {person} a full name, {tperson} a title and family
 * name (only the name is labelled), {email} {phone} {card} {iban} {ip} {id} (the language's
 * national id) {address} {org}; negative fillers (never labelled) {order} {date} {version}
 * {price} {time} {tracking} {invoice} {sku} {percent} {hash} {qty} {year}.
 * DEV templates are what the detector was developed against; held-out ones are in
 * templates-held-out.ts.
 */
export type Lang = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl';
export const LANGS: readonly Lang[] = ['en', 'de', 'fr', 'es', 'it', 'nl'];

export const DEV_TEMPLATES: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    'Please contact {person} at {email} or on {phone}.',
    'The invoice was sent to {org}, {address}.',
    '{tperson} asked us to update the card on file to {card}.',
    'Transfer the refund to IBAN {iban} before {date}.',
    'Login from {ip} for user {email} was blocked at {time}.',
    'My social security number is {id} and my phone is {phone}.',
    'Ship the order to {person}, {address}.',
    'Order {order} totals {price} and ships on {date}.',
    'Upgrade to version {version} fixed {qty} bugs; see build {hash}.',
    'Revenue grew {percent} in {year}, tracking {tracking}.',
    '{person} from {org} will call you on {phone} tomorrow.',
    'Card {card} was declined; customer {person} was notified.',
  ],
  de: [
    'Bitte wenden Sie sich an {person} unter {phone} oder {email}.',
    'Die Rechnung geht an {org}, {address}.',
    'Meine Steuer-ID lautet {id}.',
    '{tperson} hat die Kontonummer auf {iban} geändert.',
    'Die Bestellung {order} über {price} wird am {date} geliefert.',
    'Lieferadresse: {person}, {address}.',
    'Version {version} behebt {qty} Fehler, Sendungsnummer {tracking}.',
    'Der Zugriff von {ip} wurde um {time} gesperrt.',
    'Bitte belasten Sie die Karte {card}.',
    'Rückruf an {person} von {org} unter {phone}.',
  ],
  fr: [
    'Merci de contacter {person} au {phone} ou par courriel à {email}.',
    'La facture est adressée à {org}, {address}.',
    'Mon numéro de sécurité sociale est le {id}.',
    '{tperson} souhaite être remboursé sur l’IBAN {iban}.',
    'La commande {order} d’un montant de {price} sera livrée le {date}.',
    'Adresse de livraison : {person}, {address}.',
    'La version {version} corrige {qty} anomalies, suivi {tracking}.',
    'Connexion refusée depuis {ip} à {time}.',
    'Paiement par carte {card} accepté pour {person}.',
  ],
  es: [
    'Por favor, contacte con {person} en el {phone} o en {email}.',
    'La factura se envía a {org}, {address}.',
    'Mi DNI es {id}.',
    '{tperson} pidió el reembolso a la cuenta {iban}.',
    'El pedido {order} por {price} se entregará el {date}.',
    'Dirección de envío: {person}, {address}.',
    'La versión {version} corrige {qty} errores; seguimiento {tracking}.',
    'Acceso bloqueado desde {ip} a las {time}.',
    'Tarjeta {card} rechazada para {person}.',
  ],
  it: [
    'Contattare {person} al numero {phone} oppure a {email}.',
    'La fattura va intestata a {org}, {address}.',
    'Il mio codice fiscale è {id}.',
    '{tperson} ha chiesto il bonifico sull’IBAN {iban}.',
    'L’ordine {order} di {price} sarà consegnato il {date}.',
    'Indirizzo di spedizione: {person}, {address}.',
    'La versione {version} risolve {qty} errori; spedizione {tracking}.',
    'Accesso bloccato da {ip} alle {time}.',
    'Carta {card} addebitata a {person}.',
  ],
  nl: [
    'Neem contact op met {person} via {phone} of {email}.',
    'De factuur gaat naar {org}, {address}.',
    'Mijn BSN is {id}.',
    '{tperson} wil het bedrag terug op {iban}.',
    'Bestelling {order} van {price} wordt op {date} bezorgd.',
    'Afleveradres: {person}, {address}.',
    'Versie {version} lost {qty} fouten op; track-and-trace {tracking}.',
    'Inlog vanaf {ip} om {time} geblokkeerd.',
    'Kaart {card} geweigerd voor {person}.',
  ],
};
