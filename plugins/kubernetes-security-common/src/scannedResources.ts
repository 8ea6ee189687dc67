import type { AdmissionInventory } from './admission/inventory';
import type { ClusterContext } from './clusterObjects';
import type { WorkloadKind } from './kubernetes';
import type { AdmissionMechanism } from './reportSections';
import type { ClusterInventory } from './workloads';

/** The collections of `ClusterContext` (everything but the version). */
export type ContextCollection = Exclude<keyof ClusterContext, 'clusterVersion'>;

/** The collections of `AdmissionInventory` that a list fills. */
export type AdmissionCollection = Exclude<
  keyof AdmissionInventory,
  'served' | 'errors' | 'params'
>;

/** What every resource of the table has: its RBAC rule and what it costs to lack. */
interface ResourceRow {
  /** API group, `''` for core. */
  group: string;
  /** The plural name of REST paths and RBAC rules. */
  resource: string;
  /** The only verb the scan uses on it. */
  verb: 'list';
  /** The report data that goes missing without it (README, missing-permission errors). */
  why: string;
}

/** Read on every cluster, so its permission is always required. */
interface AlwaysReadRow extends ResourceRow {
  /** The version asked for. */
  version: string;
  /** Served at another version on some clusters: read at discovery's preferred one, when discovery answers. */
  preferDiscoveredVersion?: true;
  namespaced: boolean;
  /**
   * How the request narrows what it returns. RBAC cannot limit a list to
   * metadata; these requests do.
   */
  list?: { fieldSelector?: string; metadataOnly?: true };
}

export interface WorkloadResource extends AlwaysReadRow {
  kind: WorkloadKind;
  slot: { in: 'workloads'; key: keyof ClusterInventory };
}

export interface ContextResource extends AlwaysReadRow {
  kind: string;
  slot: {
    in: 'context';
    key: ContextCollection;
    /** What checks see when it could not be read: `unknown` keeps it undefined. */
    whenUnread: 'empty' | 'unknown';
  };
}

/** An admission controller's API: read, and its permission asked for, only where discovery finds it served. */
export interface AdmissionResource extends ResourceRow {
  /** `*` with `resource` `*`: one resource per kind, found during the scan. */
  kind: string;
  slot: {
    in: 'admission';
    key: AdmissionCollection;
    /** The mechanism's first row gives the version it is reported as served at. */
    mechanism: Exclude<AdmissionMechanism, 'pod-security-admission'>;
  };
}

export type RequiredResource = WorkloadResource | ContextResource;
export type ScannedResource = RequiredResource | AdmissionResource;

/**
 * Gatekeeper serves one constraint resource per ConstraintTemplate kind: RBAC
 * grants them all as `*`, the scan lists each kind it finds, and no single
 * permission can be asked for.
 */
export const EVERY_RESOURCE = '*';

/**
 * Every resource a scan reads, in the order permissions are reported: the
 * collector, the identity probe, missing-permission explanations, the
 * ClusterRole and README tests, and the CLI all derive from it.
 */
export const SCANNED_RESOURCES: readonly ScannedResource[] = [
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    resource: 'namespaces',
    namespaced: false,
    slot: { in: 'context', key: 'namespaces', whenUnread: 'empty' },
    verb: 'list',
    why: 'Pod Security Admission labels and namespace checks',
  },
  {
    kind: 'Pod',
    group: '',
    version: 'v1',
    resource: 'pods',
    namespaced: true,
    slot: { in: 'workloads', key: 'pods' },
    verb: 'list',
    why: 'running pods, their images and digests',
  },
  {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    namespaced: true,
    slot: { in: 'workloads', key: 'deployments' },
    verb: 'list',
    why: 'Deployments',
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    namespaced: true,
    slot: { in: 'workloads', key: 'replicaSets' },
    verb: 'list',
    why: 'ReplicaSets and the Deployments owning pods',
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    namespaced: true,
    slot: { in: 'workloads', key: 'statefulSets' },
    verb: 'list',
    why: 'StatefulSets',
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    namespaced: true,
    slot: { in: 'workloads', key: 'daemonSets' },
    verb: 'list',
    why: 'DaemonSets',
  },
  {
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    namespaced: true,
    slot: { in: 'workloads', key: 'jobs' },
    verb: 'list',
    why: 'Jobs and the CronJobs owning pods',
  },
  {
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    // batch/v1 from 1.21; older clusters serve v1beta1 only.
    preferDiscoveredVersion: true,
    resource: 'cronjobs',
    namespaced: true,
    slot: { in: 'workloads', key: 'cronJobs' },
    verb: 'list',
    why: 'CronJobs',
  },
  {
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    namespaced: true,
    slot: { in: 'context', key: 'serviceAccounts', whenUnread: 'empty' },
    verb: 'list',
    why: 'ServiceAccount automount settings',
  },
  {
    kind: 'Secret',
    group: '',
    version: 'v1',
    resource: 'secrets',
    namespaced: true,
    // Legacy token Secrets as metadata only: names, labels and annotations,
    // never their values.
    list: {
      fieldSelector: 'type=kubernetes.io/service-account-token',
      metadataOnly: true,
    },
    slot: {
      in: 'context',
      key: 'serviceAccountTokens',
      whenUnread: 'unknown',
    },
    verb: 'list',
    why: 'legacy service-account tokens (listed as metadata only, never their values)',
  },
  {
    kind: 'RoleBinding',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'rolebindings',
    namespaced: true,
    slot: { in: 'context', key: 'roleBindings', whenUnread: 'unknown' },
    verb: 'list',
    why: 'which ServiceAccounts hold rights (token automount heuristics)',
  },
  {
    kind: 'ClusterRoleBinding',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'clusterrolebindings',
    namespaced: false,
    slot: { in: 'context', key: 'clusterRoleBindings', whenUnread: 'unknown' },
    verb: 'list',
    why: 'which ServiceAccounts hold rights (token automount heuristics)',
  },
  // What the kubelet does with fsGroup on CSI volumes (KEP-2317).
  {
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    namespaced: true,
    slot: {
      in: 'context',
      key: 'persistentVolumeClaims',
      whenUnread: 'unknown',
    },
    verb: 'list',
    why: 'fsGroup handling of volumes',
  },
  {
    kind: 'PersistentVolume',
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    namespaced: false,
    slot: { in: 'context', key: 'persistentVolumes', whenUnread: 'unknown' },
    verb: 'list',
    why: 'fsGroup handling of volumes',
  },
  {
    kind: 'CSIDriver',
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'csidrivers',
    namespaced: false,
    slot: { in: 'context', key: 'csiDrivers', whenUnread: 'unknown' },
    verb: 'list',
    why: "CSI drivers' fsGroupPolicy",
  },
  {
    kind: 'StorageClass',
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'storageclasses',
    namespaced: false,
    slot: { in: 'context', key: 'storageClasses', whenUnread: 'unknown' },
    verb: 'list',
    why: 'fsType of dynamically provisioned volumes',
  },
  {
    kind: 'Node',
    group: '',
    version: 'v1',
    resource: 'nodes',
    namespaced: false,
    // Windows nodes, by their labels only.
    list: { metadataOnly: true },
    slot: { in: 'context', key: 'nodes', whenUnread: 'unknown' },
    verb: 'list',
    why: 'Windows nodes (labels only)',
  },
  {
    kind: 'ValidatingAdmissionPolicy',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingadmissionpolicies',
    slot: {
      in: 'admission',
      key: 'validatingAdmissionPolicies',
      mechanism: 'validating-admission-policy',
    },
    verb: 'list',
    why: 'ValidatingAdmissionPolicy coverage and dry runs',
  },
  {
    kind: 'ValidatingAdmissionPolicyBinding',
    group: 'admissionregistration.k8s.io',
    resource: 'validatingadmissionpolicybindings',
    slot: {
      in: 'admission',
      key: 'validatingAdmissionPolicyBindings',
      mechanism: 'validating-admission-policy',
    },
    verb: 'list',
    why: 'ValidatingAdmissionPolicy coverage and dry runs',
  },
  {
    kind: 'ClusterPolicy',
    group: 'kyverno.io',
    resource: 'clusterpolicies',
    slot: { in: 'admission', key: 'kyvernoPolicies', mechanism: 'kyverno' },
    verb: 'list',
    why: 'Kyverno policy coverage',
  },
  {
    kind: 'Policy',
    group: 'kyverno.io',
    resource: 'policies',
    slot: { in: 'admission', key: 'kyvernoPolicies', mechanism: 'kyverno' },
    verb: 'list',
    why: 'Kyverno policy coverage',
  },
  {
    kind: 'ConstraintTemplate',
    group: 'templates.gatekeeper.sh',
    resource: 'constrainttemplates',
    slot: {
      in: 'admission',
      key: 'gatekeeperConstraintTemplates',
      mechanism: 'gatekeeper',
    },
    verb: 'list',
    why: 'Gatekeeper coverage',
  },
  {
    kind: EVERY_RESOURCE,
    group: 'constraints.gatekeeper.sh',
    resource: EVERY_RESOURCE,
    slot: {
      in: 'admission',
      key: 'gatekeeperConstraints',
      mechanism: 'gatekeeper',
    },
    verb: 'list',
    why: 'Gatekeeper constraints of every template',
  },
  {
    kind: 'ClusterImagePolicy',
    group: 'policy.sigstore.dev',
    resource: 'clusterimagepolicies',
    slot: {
      in: 'admission',
      key: 'clusterImagePolicies',
      mechanism: 'policy-controller',
    },
    verb: 'list',
    why: 'policy-controller coverage',
  },
];

export const REQUIRED_RESOURCES = SCANNED_RESOURCES.filter(
  (row): row is RequiredResource => row.slot.in !== 'admission',
);

export const WORKLOAD_RESOURCES = SCANNED_RESOURCES.filter(
  (row): row is WorkloadResource => row.slot.in === 'workloads',
);

export const CONTEXT_RESOURCES = SCANNED_RESOURCES.filter(
  (row): row is ContextResource => row.slot.in === 'context',
);

export const ADMISSION_RESOURCES = SCANNED_RESOURCES.filter(
  (row): row is AdmissionResource => row.slot.in === 'admission',
);

/** `apps/deployments`, or `pods` for the core group: how errors and permission checks name it. */
export function qualifiedResource(
  row: Pick<ScannedResource, 'group' | 'resource'>,
): string {
  return row.group ? `${row.group}/${row.resource}` : row.resource;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(
  row: Pick<RequiredResource, 'group' | 'version'>,
): string {
  return row.group ? `${row.group}/${row.version}` : row.version;
}
