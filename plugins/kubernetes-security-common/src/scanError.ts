/** Why part of a cluster's data is missing. Never rendered as a clean result. */
export type ScanErrorType =
  | 'UNREACHABLE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'BAD_RESPONSE'
  | 'TIMEOUT'
  | 'CONFIGURATION'
  | 'INVALID_ANNOTATION'
  | 'UNKNOWN';

export interface ScanError {
  type: ScanErrorType;
  message: string;
  /** The resource (e.g. `pods`, `apps/deployments`) whose listing failed, if any. */
  resource?: string;
  statusCode?: number;
}
