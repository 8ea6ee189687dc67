import type { PodSpec } from '../../kubernetes';

/** The ServiceAccount pods run as; `serviceAccount` is the deprecated alias the API server still honours. */
export function serviceAccountName(spec: PodSpec | undefined): string {
  return (
    spec?.serviceAccountName ||
    (spec?.serviceAccount as string | undefined) ||
    'default'
  );
}
