import type { WorkloadCheck } from '../types';
import { containerEntries } from '../podSpec';
import { describeTokenUse } from './legacyTokens';

export const legacyTokenReferenced: WorkloadCheck = {
  scope: 'workload',
  id: 'legacy-token-referenced',
  title: 'Pod uses a legacy token Secret',
  severity: 'high',
  area: 'service-accounts',
  rationale:
    'The pod reads a never-expiring Secret-based service-account token (as a volume or an environment variable), so the credential lives as long as the Secret and leaks with the pod spec or its environment.',
  remediation: {
    text: 'Mount a projected service-account token instead; it is bound to the pod and expires. Then delete the legacy Secret.',
    yaml: `volumes:
  - name: api-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            expirationSeconds: 3600`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#serviceaccount-token-volume-projection',
  equivalents: {},
  run({ workload, legacyTokens }) {
    const tokens = new Map((legacyTokens ?? []).map(token => [token.metadata?.name, token]));
    const spec = workload.template.spec;
    const fromVolumes = ((spec?.volumes as any[] | undefined) ?? []).flatMap((volume, index) => {
      const token = tokens.get(volume?.secret?.secretName);
      return token
        ? [
            {
              message: `Volume "${volume.name}" mounts the legacy token Secret "${token.metadata?.name}" (${describeTokenUse(token)})`,
              path: `${workload.podSpecPath}.volumes[${index}].secret.secretName`,
              evidence: token.metadata?.name ?? '',
            },
          ]
        : [];
    });
    const fromEnv = containerEntries(spec, workload.podSpecPath).flatMap(({ container, path }) =>
      ((container.env as any[] | undefined) ?? []).flatMap((variable, index) => {
        const token = tokens.get(variable?.valueFrom?.secretKeyRef?.name);
        return token
          ? [
              {
                container: container.name,
                message: `Container "${container.name}" reads the legacy token Secret "${token.metadata?.name}" into $${variable.name} (${describeTokenUse(token)})`,
                path: `${path}.env[${index}].valueFrom.secretKeyRef.name`,
                evidence: token.metadata?.name ?? '',
              },
            ]
          : [];
      }),
    );
    return [...fromVolumes, ...fromEnv];
  },
};
