import { workloadUnderCheck } from './checks/runChecks';
import type { ClusterVersion, WorkloadCheckContext } from './checks/types';
import type { KubeObject, Pod } from './kubernetes';
import { CONTEXT_RESOURCES, type ContextResource } from './scannedResources';
import { fsGroupVolumes, StorageIndex } from './storage/fsGroup';
import type { Workload } from './workloads';

/**
 * What a scan read from one cluster besides the workloads. A collection left
 * `undefined` could not be read: checks then say "unknown" instead of
 * assuming it is empty.
 */
export interface ClusterContext {
  namespaces: KubeObject[];
  serviceAccounts: KubeObject[];
  /** Legacy service-account token Secrets, metadata only. */
  serviceAccountTokens?: KubeObject[];
  roleBindings?: KubeObject[];
  clusterRoleBindings?: KubeObject[];
  persistentVolumeClaims?: KubeObject[];
  persistentVolumes?: KubeObject[];
  csiDrivers?: KubeObject[];
  storageClasses?: KubeObject[];
  nodes?: KubeObject[];
  clusterVersion?: ClusterVersion;
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Indexes a cluster's context objects once, for every workload's checks. */
export class ClusterObjects {
  private readonly namespaces = new Map<string, KubeObject>();
  private readonly serviceAccounts = new Map<string, KubeObject>();
  private readonly tokensByNamespace = new Map<string, KubeObject[]>();
  private readonly bindingCounts = new Map<string, number>();
  readonly storage: StorageIndex;

  constructor(readonly context: ClusterContext) {
    for (const namespace of context.namespaces) {
      // The first of duplicates counts, as `kubectl create` would keep it.
      const name = namespace.metadata?.name ?? '';
      if (!this.namespaces.has(name)) this.namespaces.set(name, namespace);
    }
    for (const account of context.serviceAccounts) {
      this.serviceAccounts.set(
        key(account.metadata?.namespace, account.metadata?.name),
        account,
      );
    }
    for (const token of context.serviceAccountTokens ?? []) {
      const namespace = token.metadata?.namespace ?? 'default';
      this.tokensByNamespace.set(namespace, [
        ...(this.tokensByNamespace.get(namespace) ?? []),
        token,
      ]);
    }
    for (const binding of [
      ...(context.roleBindings ?? []),
      ...(context.clusterRoleBindings ?? []),
    ]) {
      for (const subject of (binding.subjects as Subject[] | undefined) ?? []) {
        if (subject.kind !== 'ServiceAccount' || !subject.name) continue;
        // A RoleBinding's subject without a namespace is in the binding's.
        const account = key(
          subject.namespace ?? binding.metadata?.namespace,
          subject.name,
        );
        this.bindingCounts.set(
          account,
          (this.bindingCounts.get(account) ?? 0) + 1,
        );
      }
    }
    this.storage = new StorageIndex(context);
  }

  namespace(name: string): KubeObject | undefined {
    return this.namespaces.get(name);
  }

  serviceAccount(namespace: string, name: string): KubeObject | undefined {
    return this.serviceAccounts.get(key(namespace, name));
  }

  tokens(namespace: string): KubeObject[] {
    return this.tokensByNamespace.get(namespace) ?? [];
  }

  /** ServiceAccount-specific bindings; group bindings such as `system:serviceaccounts` do not count. */
  bindingsOf(namespace: string, name: string): number | 'unknown' {
    if (!this.context.roleBindings || !this.context.clusterRoleBindings)
      return 'unknown';
    return this.bindingCounts.get(key(namespace, name)) ?? 0;
  }

  /** The context a workload's checks run with. */
  workloadContext(
    workload: Pick<Workload, 'kind' | 'object' | 'template'> & { pods?: Pod[] },
  ): WorkloadCheckContext {
    const under = workloadUnderCheck(workload);
    const namespace = workload.object.metadata?.namespace ?? 'default';
    const accountName =
      (workload.template.spec?.serviceAccountName as string | undefined) ||
      'default';
    return {
      workload: under,
      namespace: this.namespace(namespace),
      serviceAccount: this.serviceAccount(namespace, accountName),
      legacyTokens: this.tokens(namespace),
      serviceAccountBindings: this.bindingsOf(namespace, accountName),
      volumes: fsGroupVolumesOf(workload, this.storage),
      clusterVersion: this.context.clusterVersion,
    };
  }
}

function fsGroupVolumesOf(
  workload: Pick<Workload, 'kind' | 'object' | 'template'> & { pods?: Pod[] },
  storage: StorageIndex,
) {
  // A running pod names its real claims (StatefulSet and ephemeral ones included).
  return fsGroupVolumes(
    {
      kind: workload.kind,
      object: workload.object,
      podSpec: workload.pods?.[0]?.spec ?? workload.template.spec ?? {},
      podNames: (workload.pods ?? [])
        .map(pod => pod.metadata?.name ?? '')
        .filter(Boolean)
        .sort(),
    },
    storage,
  );
}

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? 'default'}/${name ?? ''}`;
}

const CONTEXT_RESOURCE_OF_KIND = new Map<string, ContextResource>(
  CONTEXT_RESOURCES.map(row => [row.kind, row]),
);

/**
 * The context found among manifests (CLI input, test fixtures). Kinds that
 * do not appear stay unknown, except Namespaces and ServiceAccounts. Token
 * Secrets keep their metadata only, as the backend lists them.
 */
export function clusterContextFromObjects(
  objects: KubeObject[],
): ClusterContext {
  const context: ClusterContext = { namespaces: [], serviceAccounts: [] };
  for (const object of objects) {
    const row = CONTEXT_RESOURCE_OF_KIND.get(object.kind ?? '');
    if (!row) continue;
    const withNamespace = row.namespaced
      ? {
          ...object,
          metadata: {
            ...object.metadata,
            namespace: object.metadata?.namespace ?? 'default',
          },
        }
      : object;
    const collection = row.slot.key;
    if (collection === 'serviceAccountTokens') {
      if (object.type === 'kubernetes.io/service-account-token') {
        context.serviceAccountTokens = [
          ...(context.serviceAccountTokens ?? []),
          { metadata: withNamespace.metadata },
        ];
      }
      continue;
    }
    context[collection] = [...(context[collection] ?? []), withNamespace];
  }
  // Bindings are only ever complete together.
  if (context.roleBindings || context.clusterRoleBindings) {
    context.roleBindings ??= [];
    context.clusterRoleBindings ??= [];
  }
  return context;
}
