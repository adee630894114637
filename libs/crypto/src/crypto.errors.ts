import { WeaverError, type WeaverErrorOptions } from '@weaver/errors';

/**
 * A ciphertext that does not open: tampered, moved to another tenant or field (AAD mismatch),
 * or not a Weaver ciphertext at all. Never retriable — retrying cannot make the bytes valid.
 */
export class DecryptionFailedError extends WeaverError {
  constructor(reason: string, options: WeaverErrorOptions = {}) {
    super('FAILED_PRECONDITION', `ciphertext cannot be opened: ${reason}`, { ...options, retriable: false });
  }
}

/** The data key was destroyed (crypto-shredded): its data is unreadable for good, by design. */
export class KeyDestroyedError extends WeaverError {
  constructor(scope: string, version: number) {
    super('NOT_FOUND', `data key ${scope} v${version} was destroyed (erased)`, { details: { scope, version }, retriable: false });
  }
}

/** The KMS could not wrap or unwrap a key (unreachable: retriable; refused: not). */
export class KmsError extends WeaverError {
  constructor(message: string, options: WeaverErrorOptions = {}) {
    super(options.retriable ? 'UNAVAILABLE' : 'FAILED_PRECONDITION', message, options);
  }
}
