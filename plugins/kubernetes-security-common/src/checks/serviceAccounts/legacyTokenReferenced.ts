import type { WorkloadCheck } from '../types';
import { containerEntries } from '../podSpec';
import { describeTokenUse } from './legacyTokens';
import { legacyTokenReferencedMetadata } from './metadata';

export const legacyTokenReferenced: WorkloadCheck = {
  scope: 'workload',
  ...legacyTokenReferencedMetadata,
  run({ workload, legacyTokens }) {
    const tokens = new Map(
      (legacyTokens ?? []).map(token => [token.metadata?.name, token]),
    );
    const spec = workload.template.spec;
    const fromVolumes = ((spec?.volumes as any[] | undefined) ?? []).flatMap(
      (volume, index) => {
        const token = tokens.get(volume?.secret?.secretName);
        return token
          ? [
              {
                message: `Volume "${
                  volume.name
                }" mounts the legacy token Secret "${
                  token.metadata?.name
                }" (${describeTokenUse(token)})`,
                path: `${workload.podSpecPath}.volumes[${index}].secret.secretName`,
                evidence: token.metadata?.name ?? '',
              },
            ]
          : [];
      },
    );
    const fromEnv = containerEntries(spec, workload.podSpecPath).flatMap(
      ({ container, path }) =>
        ((container.env as any[] | undefined) ?? []).flatMap(
          (variable, index) => {
            const token = tokens.get(variable?.valueFrom?.secretKeyRef?.name);
            return token
              ? [
                  {
                    container: container.name,
                    message: `Container "${
                      container.name
                    }" reads the legacy token Secret "${
                      token.metadata?.name
                    }" into $${variable.name} (${describeTokenUse(token)})`,
                    path: `${path}.env[${index}].valueFrom.secretKeyRef.name`,
                    evidence: token.metadata?.name ?? '',
                  },
                ]
              : [];
          },
        ),
    );
    return [...fromVolumes, ...fromEnv];
  },
};
