import { podSpecFix } from '../fix';
import { containerEntries } from '../podSpec';
import type { WorkloadCheck } from '../types';
import { describeTokenUse } from './legacyTokens';
import { legacyTokenReferencedMetadata } from './metadata';

/** What the kubelet mounts for a pod's own token: the same files as a token Secret. */
const PROJECTED_TOKEN = {
  sources: [
    { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
    {
      configMap: {
        name: 'kube-root-ca.crt',
        items: [{ key: 'ca.crt', path: 'ca.crt' }],
      },
    },
    {
      downwardAPI: {
        items: [
          { path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } },
        ],
      },
    },
  ],
};
const TOKEN_VOLUME = 'api-token';
const TOKEN_DIRECTORY = '/var/run/secrets/tokens';

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
                // The same files (token, ca.crt, namespace), the token renewed by the kubelet.
                fix:
                  typeof volume.name === 'string'
                    ? podSpecFix(workload, {
                        volumes: [
                          {
                            name: volume.name,
                            secret: null,
                            projected: PROJECTED_TOKEN,
                          },
                        ],
                      })
                    : undefined,
              },
            ]
          : [];
      },
    );
    const fromEnv = containerEntries(spec, workload.podSpecPath).flatMap(
      ({ container, path, field }) =>
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
                    // An env var cannot follow a renewed token: the file replaces it.
                    fix:
                      typeof container.name === 'string' &&
                      typeof variable.name === 'string'
                        ? podSpecFix(
                            workload,
                            {
                              [field]: [
                                {
                                  name: container.name,
                                  env: [
                                    { name: variable.name, $patch: 'delete' },
                                  ],
                                  volumeMounts: [
                                    {
                                      name: TOKEN_VOLUME,
                                      mountPath: TOKEN_DIRECTORY,
                                      readOnly: true,
                                    },
                                  ],
                                },
                              ],
                              volumes: [
                                {
                                  name: TOKEN_VOLUME,
                                  projected: PROJECTED_TOKEN,
                                },
                              ],
                            },
                            `Read the token from ${TOKEN_DIRECTORY}/token instead of $${variable.name}: the kubelet renews that file.`,
                          )
                        : undefined,
                  },
                ]
              : [];
          },
        ),
    );
    return [...fromVolumes, ...fromEnv];
  },
};
