/** What the bench reads from libs/pii, in one place (the gazetteer is internal to the library). */
export { detokenise, fixedTokenKeys, parsePiiPolicy, PII_TYPES, PiiScanner } from '../../../libs/pii/src';
export { GIVEN_NAMES as GIVEN_NAMES_FOR_BENCH } from '../../../libs/pii/src/detectors/name-gazetteer';
