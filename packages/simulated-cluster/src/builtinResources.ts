/**
 * The built-in resources of a Kubernetes apiserver, with the group versions
 * that serve each of them depending on the cluster's minor version and
 * feature gates. Only the resources a security scanner or the official
 * Kubernetes plugin meets are listed.
 */

export interface ClusterCapabilities {
  minor: number;
  featureGates: Readonly<Record<string, boolean>>;
}

/** How a subresource appears in discovery; kind/group/version default to the parent's. */
export interface SubresourceDefinition {
  verbs: readonly string[];
  kind?: string;
  group?: string;
  version?: string;
}

export interface BuiltinResource {
  group: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: Readonly<Record<string, SubresourceDefinition>>;
  /** The versions of `group` that serve this resource on a given cluster. */
  versions: (cluster: ClusterCapabilities) => readonly string[];
}

const READ_WRITE = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;
const CREATE_ONLY = ['create'] as const;
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'] as const;

const STATUS: SubresourceDefinition = { verbs: ['get', 'patch', 'update'] };
const SCALE: SubresourceDefinition = {
  verbs: ['get', 'patch', 'update'],
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
};

const V1_ONLY = () => ['v1'];

function isGateEnabled(
  cluster: ClusterCapabilities,
  gate: string,
  enabledByDefault: boolean,
): boolean {
  return cluster.featureGates[gate] ?? enabledByDefault;
}

/**
 * SelfSubjectReview: alpha in 1.26 (gate off by default), beta in 1.27 (gate on
 * by default), GA in 1.28 with the beta kept until 1.30.
 */
function selfSubjectReviewVersions(cluster: ClusterCapabilities): string[] {
  const { minor } = cluster;
  if (minor < 26) return [];
  if (minor === 26) {
    return isGateEnabled(cluster, 'APISelfSubjectReview', false)
      ? ['v1alpha1']
      : [];
  }
  if (minor === 27) {
    return isGateEnabled(cluster, 'APISelfSubjectReview', true)
      ? ['v1beta1']
      : [];
  }
  return minor <= 29 ? ['v1', 'v1beta1'] : ['v1'];
}

/**
 * ValidatingAdmissionPolicy: alpha in 1.26–1.27 and beta in 1.28–1.29, both
 * behind a gate that is off by default; GA (always served) from 1.30.
 */
function validatingAdmissionPolicyVersions(
  cluster: ClusterCapabilities,
): string[] {
  const { minor } = cluster;
  if (minor >= 30) return ['v1'];
  if (
    minor < 26 ||
    !isGateEnabled(cluster, 'ValidatingAdmissionPolicy', false)
  ) {
    return [];
  }
  return minor <= 27 ? ['v1alpha1'] : ['v1beta1'];
}

/**
 * HorizontalPodAutoscaler: autoscaling/v2 is GA from 1.23; v2beta1 was
 * removed in 1.25 and v2beta2 in 1.26.
 */
function horizontalPodAutoscalerVersions(
  cluster: ClusterCapabilities,
): string[] {
  const { minor } = cluster;
  return [
    ...(minor >= 23 ? ['v2'] : []),
    'v1',
    ...(minor <= 25 ? ['v2beta2'] : []),
    ...(minor <= 24 ? ['v2beta1'] : []),
  ];
}

type ResourceEntry = Omit<BuiltinResource, 'group' | 'versions' | 'verbs'> & {
  verbs?: readonly string[];
  versions?: BuiltinResource['versions'];
};

function group(name: string, entries: ResourceEntry[]): BuiltinResource[] {
  return entries.map(entry => ({
    ...entry,
    group: name,
    verbs: entry.verbs ?? READ_WRITE,
    versions: entry.versions ?? V1_ONLY,
  }));
}

/** In the order the real apiserver lists groups under `/apis`. */
export const BUILTIN_RESOURCES: readonly BuiltinResource[] = [
  ...group('', [
    {
      plural: 'bindings',
      kind: 'Binding',
      namespaced: true,
      verbs: CREATE_ONLY,
    },
    {
      plural: 'componentstatuses',
      kind: 'ComponentStatus',
      namespaced: false,
      verbs: ['get', 'list'],
      shortNames: ['cs'],
    },
    {
      plural: 'configmaps',
      kind: 'ConfigMap',
      namespaced: true,
      shortNames: ['cm'],
    },
    {
      plural: 'endpoints',
      kind: 'Endpoints',
      namespaced: true,
      shortNames: ['ep'],
    },
    { plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
    {
      plural: 'limitranges',
      kind: 'LimitRange',
      namespaced: true,
      shortNames: ['limits'],
    },
    {
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ns'],
      subresources: { finalize: { verbs: ['update'] }, status: STATUS },
    },
    {
      plural: 'nodes',
      kind: 'Node',
      namespaced: false,
      shortNames: ['no'],
      subresources: {
        proxy: { verbs: PROXY_VERBS, kind: 'NodeProxyOptions' },
        status: STATUS,
      },
    },
    {
      plural: 'persistentvolumeclaims',
      kind: 'PersistentVolumeClaim',
      namespaced: true,
      shortNames: ['pvc'],
      subresources: { status: STATUS },
    },
    {
      plural: 'persistentvolumes',
      kind: 'PersistentVolume',
      namespaced: false,
      shortNames: ['pv'],
      subresources: { status: STATUS },
    },
    {
      plural: 'pods',
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
      subresources: {
        attach: { verbs: ['create', 'get'], kind: 'PodAttachOptions' },
        binding: { verbs: CREATE_ONLY, kind: 'Binding' },
        ephemeralcontainers: { verbs: ['get', 'patch', 'update'] },
        eviction: {
          verbs: CREATE_ONLY,
          group: 'policy',
          version: 'v1',
          kind: 'Eviction',
        },
        exec: { verbs: ['create', 'get'], kind: 'PodExecOptions' },
        log: { verbs: ['get'] },
        portforward: {
          verbs: ['create', 'get'],
          kind: 'PodPortForwardOptions',
        },
        proxy: { verbs: PROXY_VERBS, kind: 'PodProxyOptions' },
        status: STATUS,
      },
    },
    { plural: 'podtemplates', kind: 'PodTemplate', namespaced: true },
    {
      plural: 'replicationcontrollers',
      kind: 'ReplicationController',
      namespaced: true,
      shortNames: ['rc'],
      categories: ['all'],
      subresources: { scale: SCALE, status: STATUS },
    },
    {
      plural: 'resourcequotas',
      kind: 'ResourceQuota',
      namespaced: true,
      shortNames: ['quota'],
      subresources: { status: STATUS },
    },
    { plural: 'secrets', kind: 'Secret', namespaced: true },
    {
      plural: 'serviceaccounts',
      kind: 'ServiceAccount',
      namespaced: true,
      shortNames: ['sa'],
      subresources: {
        token: {
          verbs: CREATE_ONLY,
          group: 'authentication.k8s.io',
          version: 'v1',
          kind: 'TokenRequest',
        },
      },
    },
    {
      plural: 'services',
      kind: 'Service',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      subresources: {
        proxy: { verbs: PROXY_VERBS, kind: 'ServiceProxyOptions' },
        status: STATUS,
      },
    },
  ]),
  ...group('apps', [
    {
      plural: 'controllerrevisions',
      kind: 'ControllerRevision',
      namespaced: true,
    },
    {
      plural: 'daemonsets',
      kind: 'DaemonSet',
      namespaced: true,
      shortNames: ['ds'],
      categories: ['all'],
      subresources: { status: STATUS },
    },
    {
      plural: 'deployments',
      kind: 'Deployment',
      namespaced: true,
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: { scale: SCALE, status: STATUS },
    },
    {
      plural: 'replicasets',
      kind: 'ReplicaSet',
      namespaced: true,
      shortNames: ['rs'],
      categories: ['all'],
      subresources: { scale: SCALE, status: STATUS },
    },
    {
      plural: 'statefulsets',
      kind: 'StatefulSet',
      namespaced: true,
      shortNames: ['sts'],
      categories: ['all'],
      subresources: { scale: SCALE, status: STATUS },
    },
  ]),
  ...group('authentication.k8s.io', [
    {
      plural: 'selfsubjectreviews',
      kind: 'SelfSubjectReview',
      namespaced: false,
      verbs: CREATE_ONLY,
      versions: selfSubjectReviewVersions,
    },
    {
      plural: 'tokenreviews',
      kind: 'TokenReview',
      namespaced: false,
      verbs: CREATE_ONLY,
    },
  ]),
  ...group('authorization.k8s.io', [
    {
      plural: 'localsubjectaccessreviews',
      kind: 'LocalSubjectAccessReview',
      namespaced: true,
      verbs: CREATE_ONLY,
    },
    {
      plural: 'selfsubjectaccessreviews',
      kind: 'SelfSubjectAccessReview',
      namespaced: false,
      verbs: CREATE_ONLY,
    },
    {
      plural: 'selfsubjectrulesreviews',
      kind: 'SelfSubjectRulesReview',
      namespaced: false,
      verbs: CREATE_ONLY,
    },
    {
      plural: 'subjectaccessreviews',
      kind: 'SubjectAccessReview',
      namespaced: false,
      verbs: CREATE_ONLY,
    },
  ]),
  ...group('autoscaling', [
    {
      plural: 'horizontalpodautoscalers',
      kind: 'HorizontalPodAutoscaler',
      namespaced: true,
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: { status: STATUS },
      versions: horizontalPodAutoscalerVersions,
    },
  ]),
  ...group('batch', [
    {
      plural: 'cronjobs',
      kind: 'CronJob',
      namespaced: true,
      shortNames: ['cj'],
      categories: ['all'],
      subresources: { status: STATUS },
    },
    {
      plural: 'jobs',
      kind: 'Job',
      namespaced: true,
      categories: ['all'],
      subresources: { status: STATUS },
    },
  ]),
  ...group('networking.k8s.io', [
    { plural: 'ingressclasses', kind: 'IngressClass', namespaced: false },
    {
      plural: 'ingresses',
      kind: 'Ingress',
      namespaced: true,
      shortNames: ['ing'],
      subresources: { status: STATUS },
    },
    {
      plural: 'networkpolicies',
      kind: 'NetworkPolicy',
      namespaced: true,
      shortNames: ['netpol'],
    },
  ]),
  ...group('policy', [
    {
      plural: 'poddisruptionbudgets',
      kind: 'PodDisruptionBudget',
      namespaced: true,
      shortNames: ['pdb'],
      subresources: { status: STATUS },
    },
  ]),
  ...group('rbac.authorization.k8s.io', [
    {
      plural: 'clusterrolebindings',
      kind: 'ClusterRoleBinding',
      namespaced: false,
    },
    { plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { plural: 'rolebindings', kind: 'RoleBinding', namespaced: true },
    { plural: 'roles', kind: 'Role', namespaced: true },
  ]),
  ...group('storage.k8s.io', [
    { plural: 'csidrivers', kind: 'CSIDriver', namespaced: false },
    { plural: 'csinodes', kind: 'CSINode', namespaced: false },
    {
      plural: 'csistoragecapacities',
      kind: 'CSIStorageCapacity',
      namespaced: true,
    },
    {
      plural: 'storageclasses',
      kind: 'StorageClass',
      namespaced: false,
      shortNames: ['sc'],
    },
    {
      plural: 'volumeattachments',
      kind: 'VolumeAttachment',
      namespaced: false,
      subresources: { status: STATUS },
    },
  ]),
  ...group('admissionregistration.k8s.io', [
    {
      plural: 'mutatingwebhookconfigurations',
      kind: 'MutatingWebhookConfiguration',
      namespaced: false,
      categories: ['api-extensions'],
    },
    {
      plural: 'validatingadmissionpolicies',
      kind: 'ValidatingAdmissionPolicy',
      namespaced: false,
      categories: ['api-extensions'],
      subresources: { status: STATUS },
      versions: validatingAdmissionPolicyVersions,
    },
    {
      plural: 'validatingadmissionpolicybindings',
      kind: 'ValidatingAdmissionPolicyBinding',
      namespaced: false,
      categories: ['api-extensions'],
      versions: validatingAdmissionPolicyVersions,
    },
    {
      plural: 'validatingwebhookconfigurations',
      kind: 'ValidatingWebhookConfiguration',
      namespaced: false,
      categories: ['api-extensions'],
    },
  ]),
  ...group('apiextensions.k8s.io', [
    {
      plural: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: { status: STATUS },
    },
  ]),
  // Served by metrics-server through the aggregation layer, which lists it last.
  ...group('metrics.k8s.io', [
    {
      plural: 'nodes',
      kind: 'NodeMetrics',
      namespaced: false,
      verbs: ['get', 'list'],
      versions: () => ['v1beta1'],
    },
    {
      plural: 'pods',
      kind: 'PodMetrics',
      namespaced: true,
      verbs: ['get', 'list'],
      versions: () => ['v1beta1'],
    },
  ]),
];

/** Finds a built-in resource whose objects can be stored (it has a `get` verb). */
export function findStorableBuiltin(
  groupName: string,
  kind: string,
): BuiltinResource | undefined {
  return BUILTIN_RESOURCES.find(
    resource =>
      resource.group === groupName &&
      resource.kind === kind &&
      resource.verbs.includes('get'),
  );
}
