import { podSpecFix } from '../fix';
import type { WorkloadCheck, WorkloadUnderCheck } from '../types';
import { projectedTokenLongLivedMetadata } from './metadata';

/** Above this a projected token outlives a working day; the API default is one hour. */
export const LONG_LIVED_TOKEN_SECONDS = 24 * 60 * 60;

/** The API default: an hour, renewed by the kubelet long before it expires. */
const TOKEN_SECONDS = 60 * 60;

const isLongLived = (source: any) =>
  Number(source?.serviceAccountToken?.expirationSeconds) >
  LONG_LIVED_TOKEN_SECONDS;

/** The volume's sources, long-lived tokens shortened: a patch replaces the list whole. */
function shorterTokensFix(
  workload: WorkloadUnderCheck,
  volume: any,
  sources: any[],
): string | undefined {
  if (typeof volume.name !== 'string') return undefined;
  return podSpecFix(workload, {
    volumes: [
      {
        name: volume.name,
        projected: {
          sources: sources.map(source =>
            isLongLived(source)
              ? {
                  ...source,
                  serviceAccountToken: {
                    ...source.serviceAccountToken,
                    expirationSeconds: TOKEN_SECONDS,
                  },
                }
              : source,
          ),
        },
      },
    ],
  });
}

export const projectedTokenLongLived: WorkloadCheck = {
  scope: 'workload',
  ...projectedTokenLongLivedMetadata,
  run({ workload }) {
    const volumes =
      (workload.template.spec?.volumes as any[] | undefined) ?? [];
    return volumes.flatMap((volume, volumeIndex) => {
      const sources = (volume?.projected?.sources as any[] | undefined) ?? [];
      return sources.flatMap((source, sourceIndex) => {
        if (!isLongLived(source)) return [];
        const seconds = Number(source.serviceAccountToken.expirationSeconds);
        return [
          {
            message: `Volume "${
              volume.name
            }" projects a service-account token valid for ${Math.round(
              seconds / 3600,
            )} hours`,
            path: `${workload.podSpecPath}.volumes[${volumeIndex}].projected.sources[${sourceIndex}].serviceAccountToken.expirationSeconds`,
            evidence: String(seconds),
            fix: shorterTokensFix(workload, volume, sources),
          },
        ];
      });
    });
  },
};
