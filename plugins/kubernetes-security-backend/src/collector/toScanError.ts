import type { ScanError } from '@internal/plugin-kubernetes-security-common';
import { KubernetesRequestError } from '../clusters/KubernetesApiClient';

/** Any failure of a request, as the partial-data error reports carry. */
export function toScanError(error: unknown, resource?: string): ScanError {
  if (error instanceof KubernetesRequestError) {
    return {
      type: error.type,
      message: error.message,
      ...(resource ? { resource } : {}),
      ...(error.statusCode ? { statusCode: error.statusCode } : {}),
    };
  }
  return {
    type: 'UNKNOWN',
    message: error instanceof Error ? error.message : String(error),
    ...(resource ? { resource } : {}),
  };
}
