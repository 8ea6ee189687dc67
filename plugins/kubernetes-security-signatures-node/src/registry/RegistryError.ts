/**
 * What went wrong talking to a registry, in the terms the verification
 * states need: `auth` and `unreachable` must never be read as "unsigned".
 */
export type RegistryErrorKind =
  /** 401/403 after trying the credentials we have. */
  | 'auth'
  /** The manifest, tag or blob does not exist. */
  | 'not-found'
  /** Network error, timeout, 5xx, or still rate-limited after retries. */
  | 'unreachable'
  /** The registry answered, but with something we refuse to use. */
  | 'invalid'
  /**
   * Not sent because `registryAccess` forbids it: a host or address that is
   * not allowed, a token service on another host, credentials redirected.
   */
  | 'refused'
  /** A body over its size limit (`registryAccess.max…Bytes`), not read. */
  | 'too-large';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function isRegistryError(
  error: unknown,
  kind?: RegistryErrorKind,
): error is RegistryError {
  return error instanceof RegistryError && (!kind || error.kind === kind);
}

/** Any failure while reading from a registry, as a `RegistryError`. */
export function asRegistryError(error: unknown): RegistryError {
  return isRegistryError(error)
    ? error
    : new RegistryError(
        'invalid',
        error instanceof Error ? error.message : String(error),
      );
}
