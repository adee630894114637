import { ValidationError } from '@weaver/errors';
import type { DefinitionIncompatibility } from './definition-compatibility';

/**
 * A new agent version refused because its schemas would break data already in flight or the
 * agents consuming its events. Maps to INVALID_ARGUMENT; `details.incompatibilities` carries
 * each field path, rule and the definition it was checked against.
 */
export class IncompatibleSchemaError extends ValidationError {
  constructor(
    readonly agent: string,
    readonly version: string,
    readonly incompatibilities: readonly DefinitionIncompatibility[],
  ) {
    const violations = incompatibilities.map((i) => ({ field: i.field, rule: `${i.rule} (${i.check} against ${i.against}): ${i.message}` }));
    super(violations, `agent "${agent}" version ${version}`, { details: { agent, version, incompatibilities } });
    this.message = `agent "${agent}" version ${version} refused, its schemas are incompatible: ${violations.map((v) => `${v.field}: ${v.rule}`).join('; ')}`;
  }
}
