import type { WorkloadCheck } from '../types';
import { projectedTokenLongLivedMetadata } from './metadata';

/** Above this a projected token outlives a working day; the API default is one hour. */
export const LONG_LIVED_TOKEN_SECONDS = 24 * 60 * 60;

export const projectedTokenLongLived: WorkloadCheck = {
  scope: 'workload',
  ...projectedTokenLongLivedMetadata,
  run({ workload }) {
    const volumes =
      (workload.template.spec?.volumes as any[] | undefined) ?? [];
    return volumes.flatMap((volume, volumeIndex) =>
      ((volume?.projected?.sources as any[] | undefined) ?? []).flatMap(
        (source, sourceIndex) => {
          const seconds = Number(
            source?.serviceAccountToken?.expirationSeconds,
          );
          return seconds > LONG_LIVED_TOKEN_SECONDS
            ? [
                {
                  message: `Volume "${
                    volume.name
                  }" projects a service-account token valid for ${Math.round(
                    seconds / 3600,
                  )} hours`,
                  path: `${workload.podSpecPath}.volumes[${volumeIndex}].projected.sources[${sourceIndex}].serviceAccountToken.expirationSeconds`,
                  evidence: String(seconds),
                },
              ]
            : [];
        },
      ),
    );
  },
};
