/**
 * The Tokens section of a report (KEP-2799): the ServiceAccounts a
 * Component's workloads run as, the legacy token Secrets bound to them (from
 * metadata only), who mounts those, and which pods get a token mounted.
 */
import { containerEntries } from '../checks/podSpec';
import {
  INVALID_SINCE_LABEL,
  LAST_USED_LABEL,
  tokensOfServiceAccount,
} from '../checks/serviceAccounts/legacyTokens';
import type { ClusterVersion } from '../checks/types';
import type { ClusterObjects } from '../clusterObjects';
import type { KubeObject, PodSpec } from '../kubernetes';
import type {
  LegacyTokenSummary,
  ServiceAccountUsage,
} from '../reportSections';
import { workloadRef, type Workload } from '../workloads';

const DEFAULT_PROJECTED_EXPIRATION = 3600;
const DAY_MS = 24 * 60 * 60 * 1000;

function accountOf(workload: Workload): string {
  return (
    (workload.template.spec?.serviceAccountName as string | undefined) ||
    'default'
  );
}

/** Why a token has no last-used label, by what the cluster's version records. */
export function lastUsedNote(version: ClusterVersion | undefined): string {
  if (!version)
    return 'No use recorded; the cluster version is unknown, so it is unclear whether use is tracked.';
  if (version.major === 1 && version.minor < 26)
    return `Never recorded: use tracking does not exist before 1.26 (this cluster runs ${version.major}.${version.minor}).`;
  if (version.major === 1 && version.minor === 26)
    return 'Never recorded: use tracking is alpha in 1.26 and off unless the LegacyServiceAccountTokenTracking gate is on.';
  return 'No use recorded since tracking began (beta in 1.27, GA in 1.28): the token looks unused.';
}

/** Pods of `workloads` referencing the Secret `name`, by volume or env var. */
function mountsOf(
  name: string,
  workloads: Workload[],
): LegacyTokenSummary['mountedBy'] {
  return workloads.flatMap(workload => {
    const spec: PodSpec | undefined = workload.template.spec;
    const ref = workloadRef(workload);
    const volumes = ((spec?.volumes as any[] | undefined) ?? [])
      .filter(volume => volume?.secret?.secretName === name)
      .map(() => ({ ...ref, via: 'volume' as const }));
    const env = containerEntries(spec, '').flatMap(({ container }) =>
      [
        ...((container.env as any[] | undefined) ?? []).filter(
          variable => variable?.valueFrom?.secretKeyRef?.name === name,
        ),
        ...((container.envFrom as any[] | undefined) ?? []).filter(
          source => source?.secretRef?.name === name,
        ),
      ].map(() => ({ ...ref, container: container.name, via: 'env' as const })),
    );
    return [...volumes, ...env];
  });
}

function tokenSummary(
  token: KubeObject,
  namespaceWorkloads: Workload[],
  version: ClusterVersion | undefined,
  now: Date,
): LegacyTokenSummary {
  const labels = token.metadata?.labels ?? {};
  const createdAt = token.metadata?.creationTimestamp;
  const created = createdAt ? Date.parse(createdAt) : NaN;
  const name = token.metadata?.name ?? '';
  return {
    namespace: token.metadata?.namespace ?? 'default',
    name,
    ...(createdAt ? { createdAt } : {}),
    ...(Number.isNaN(created)
      ? {}
      : {
          ageDays: Math.max(0, Math.floor((now.getTime() - created) / DAY_MS)),
        }),
    ...(labels[LAST_USED_LABEL]
      ? { lastUsed: labels[LAST_USED_LABEL] }
      : { lastUsedNote: lastUsedNote(version) }),
    ...(labels[INVALID_SINCE_LABEL]
      ? { invalidSince: labels[INVALID_SINCE_LABEL] }
      : {}),
    mountedBy: mountsOf(name, namespaceWorkloads),
  };
}

/** Whether the pods get a token: the pod's setting wins over the ServiceAccount's. */
function automounts(
  workload: Workload,
  account: KubeObject | undefined,
): boolean {
  const podValue = workload.template.spec?.automountServiceAccountToken;
  if (typeof podValue === 'boolean') return podValue;
  return account?.automountServiceAccountToken !== false;
}

function projectedTokens(
  workload: Workload,
): ServiceAccountUsage['projectedTokens'] {
  return ((workload.template.spec?.volumes as any[] | undefined) ?? []).flatMap(
    volume =>
      ((volume?.projected?.sources as any[] | undefined) ?? [])
        .filter(source => source?.serviceAccountToken)
        .map(source => ({
          ...workloadRef(workload),
          volume: volume.name,
          expirationSeconds: Number(
            source.serviceAccountToken.expirationSeconds ??
              DEFAULT_PROJECTED_EXPIRATION,
          ),
        })),
  );
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * The ServiceAccounts `selected` run as. `allWorkloads` (the whole cluster)
 * tells who mounts each token, since a Secret may be used outside the
 * Component too.
 */
export function serviceAccountUsage(
  selected: Workload[],
  allWorkloads: Workload[],
  objects: ClusterObjects,
  now: Date = new Date(),
): ServiceAccountUsage[] {
  const byAccount = groupBy(
    selected,
    workload => `${workloadRef(workload).namespace}/${accountOf(workload)}`,
  );
  const workloadsByNamespace = groupBy(
    allWorkloads,
    workload => workloadRef(workload).namespace,
  );
  const version = objects.context.clusterVersion;
  return [...byAccount]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, workloads]) => {
      const [namespace, name] = key.split('/');
      const account = objects.serviceAccount(namespace, name);
      const onAccount = account?.automountServiceAccountToken;
      return {
        namespace,
        name,
        workloads: workloads.map(workloadRef),
        ...(typeof onAccount === 'boolean'
          ? { automountOnServiceAccount: onAccount }
          : {}),
        automountedIn: workloads
          .filter(workload => automounts(workload, account))
          .map(workloadRef),
        rbacBindings: objects.bindingsOf(namespace, name),
        legacyTokens: tokensOfServiceAccount(
          objects.tokens(namespace),
          name,
        ).map(token =>
          tokenSummary(
            token,
            workloadsByNamespace.get(namespace) ?? [],
            version,
            now,
          ),
        ),
        projectedTokens: workloads.flatMap(projectedTokens),
      };
    });
}
