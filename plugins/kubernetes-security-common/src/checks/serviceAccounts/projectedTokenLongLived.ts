import type { WorkloadCheck } from '../types';

/** Above this a projected token outlives a working day; the API default is one hour. */
export const LONG_LIVED_TOKEN_SECONDS = 24 * 60 * 60;

export const projectedTokenLongLived: WorkloadCheck = {
  scope: 'workload',
  id: 'projected-token-long-lived',
  title: 'Long-lived projected service-account token',
  severity: 'low',
  area: 'service-accounts',
  rationale:
    'Projected tokens expire, which is their point: the default lifetime is one hour and the kubelet renews them. A lifetime of days keeps a stolen token useful for days.',
  remediation: {
    text: 'Keep expirationSeconds at the default (3600) or close to it; the kubelet refreshes the file before it expires, so clients that re-read it need nothing longer.',
    yaml: `projected:
  sources:
    - serviceAccountToken:
        path: token
        expirationSeconds: 3600`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#serviceaccount-token-volume-projection',
  equivalents: {},
  run({ workload }) {
    const volumes = (workload.template.spec?.volumes as any[] | undefined) ?? [];
    return volumes.flatMap((volume, volumeIndex) =>
      ((volume?.projected?.sources as any[] | undefined) ?? []).flatMap((source, sourceIndex) => {
        const seconds = Number(source?.serviceAccountToken?.expirationSeconds);
        return seconds > LONG_LIVED_TOKEN_SECONDS
          ? [
              {
                message: `Volume "${volume.name}" projects a service-account token valid for ${Math.round(seconds / 3600)} hours`,
                path: `${workload.podSpecPath}.volumes[${volumeIndex}].projected.sources[${sourceIndex}].serviceAccountToken.expirationSeconds`,
                evidence: String(seconds),
              },
            ]
          : [];
      }),
    );
  },
};
