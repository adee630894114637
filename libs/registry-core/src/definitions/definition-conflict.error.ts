import { FailedPreconditionError, WeaverError } from '@weaver/errors';

/** A version is immutable: the same name and version with different content is refused. */
export class DefinitionVersionConflictError extends WeaverError {
  constructor(name: string, version: string, differingFields: readonly string[]) {
    super(
      'ALREADY_EXISTS',
      `agent "${name}" version ${version} is already registered with a different definition (differs in: ${differingFields.join(', ')}); versions are immutable, register a new version`,
      { details: { name, version, differingFields } },
    );
  }
}

/** Versions only move forward, so "latest" always means "newest". */
export class StaleVersionError extends FailedPreconditionError {
  constructor(name: string, version: string, latest: string) {
    super(`agent "${name}" version ${version} is not newer than its latest registered version ${latest}`, { name, version, latest });
  }
}
