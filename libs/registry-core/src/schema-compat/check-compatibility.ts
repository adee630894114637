import type { JsonSchema } from './json-schema';
import { SchemaComparison } from './schema-comparison';
import { ROOT_PATH, type ComparisonLabels, type SchemaViolation } from './schema-violation';

/**
 * Every way `reader` fails to read data valid under `writer`; empty when compatible.
 *
 * The two directions a schema registry checks are both this one question:
 *  - BACKWARD (a new input schema must read data written for the old one):
 *      `findIncompatibilities(oldInput, newInput, { writer: 'v1 input', reader: 'v2 input' })`
 *  - FORWARD for consumers (a new output must still be readable by each consumer's input):
 *      `findIncompatibilities(newOutput, consumerInput, ...)`
 */
export function findIncompatibilities(writer: JsonSchema, reader: JsonSchema, labels: ComparisonLabels): SchemaViolation[] {
  return new SchemaComparison(writer, reader, labels).compare(writer, reader, ROOT_PATH);
}
