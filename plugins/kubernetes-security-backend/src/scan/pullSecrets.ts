import type { AuditorService } from '@backstage/backend-plugin-api';
import type {
  KubeObject,
  ScanError,
  Workload,
} from '@internal/plugin-kubernetes-security-common';
import type { KubernetesApiClient } from '../clusters/KubernetesApiClient';
import { toScanError } from '../collector/toScanError';
import type { PullSecret } from '@internal/plugin-kubernetes-security-signatures-node';

/**
 * The imagePullSecrets of the given workloads, read one by one. This is the
 * only place the plugin reads Secret values, and it runs only when the
 * operator opts in (`kubernetesSecurity.signatures.usePullSecrets`); only
 * `kubernetes.io/dockerconfigjson` Secrets are kept.
 */
export async function readPullSecrets(
  client: KubernetesApiClient,
  workloads: Workload[],
  audit?: { auditor: AuditorService; cluster: string },
): Promise<{ of(workload: Workload): PullSecret[]; errors: ScanError[] }> {
  const wanted = new Set<string>();
  const namesOf = (workload: Workload) =>
    (
      (workload.template.spec?.imagePullSecrets as
        | { name?: string }[]
        | undefined) ?? []
    ).flatMap(ref =>
      ref.name
        ? [`${workload.object.metadata?.namespace ?? 'default'}/${ref.name}`]
        : [],
    );
  for (const workload of workloads)
    namesOf(workload).forEach(key => wanted.add(key));
  const secrets = new Map<string, PullSecret>();
  const errors: ScanError[] = [];
  if (wanted.size === 0) return { of: () => [], errors };
  // Reading Secret values is the one sensitive access: record which ones
  // (names only), for which cluster, and whether it worked.
  const event = await audit?.auditor.createEvent({
    eventId: 'pull-secret-read',
    severityLevel: 'high',
    meta: { cluster: audit.cluster, secrets: [...wanted].sort() },
  });
  await Promise.all(
    [...wanted].map(async key => {
      const [namespace, name] = key.split('/');
      try {
        const secret = await client.request<
          KubeObject & { data?: Record<string, string> }
        >(
          'GET',
          `/api/v1/namespaces/${encodeURIComponent(
            namespace,
          )}/secrets/${encodeURIComponent(name)}`,
        );
        if (secret.type === 'kubernetes.io/dockerconfigjson') {
          secrets.set(key, { type: secret.type, data: secret.data });
        }
      } catch (error) {
        errors.push(toScanError(error, `secrets/${key}`));
      }
    }),
  );
  if (errors.length) {
    await event?.fail({
      error: new Error(errors.map(e => e.message).join('; ')),
      meta: { unread: errors.map(e => e.resource ?? '') },
    });
  } else {
    await event?.success();
  }
  return {
    of: workload => namesOf(workload).flatMap(key => secrets.get(key) ?? []),
    errors,
  };
}
