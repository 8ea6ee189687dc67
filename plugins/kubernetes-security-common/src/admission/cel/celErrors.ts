/**
 * Errors the dry run tells apart: a function this simulation cannot run makes
 * the outcome `unknown`; anything else is an evaluation error, which the
 * policy's `failurePolicy` decides about, as in the API server.
 */
export class UnsupportedCelFeatureError extends Error {
  constructor(readonly feature: string, reason: string) {
    super(reason);
    this.name = 'UnsupportedCelFeatureError';
  }
}

/** A runtime error of a Kubernetes CEL library function (e.g. bad quantity). */
export class CelLibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelLibraryError';
  }
}
