/**
 * fast-check arbitraries for Kubernetes objects as manifests and API servers
 * give them, and as they should never look: every field is mostly a plausible
 * value and sometimes any value parsed YAML or JSON can hold (strings where
 * numbers are, arrays where objects are, null, huge or odd Unicode strings,
 * keys such as `__proto__`).
 */
import fc from 'fast-check';
import type { ClusterVersion } from '../checks/types';
import type { KubeObject } from '../kubernetes';
import type { ImageVerification, ImageSignatureState } from '../reportSections';
import { IMAGE_SIGNATURE_STATES } from '../reportSections';

type Model = Record<string, fc.Arbitrary<unknown>>;

/** Keys that trip code treating parsed data as ordinary objects. */
export const TRICKY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'length',
  '',
];

/** An object with own properties only, as `JSON.parse` builds it: `__proto__` stays a plain key. */
export function objectFromEntries(
  entries: [string, unknown][],
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
    fc.integer({ min: 5_000, max: 30_000 }),
  )
  .map(([unit, times]) => unit.repeat(times));

export const anyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 200 },
  // control characters and every plane of Unicode
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 100 },
  {
    arbitrary: fc.constantFrom(
      ...TRICKY_KEYS,
      'true',
      'null',
      '0',
      '-1',
      'NaN',
      '1e309',
      '${x}',
      '%s',
      '\u0000',
      '\ud800',
      '\u202e',
    ),
    weight: 100,
  },
  // rare, as an object has dozens of strings: about one case in ten has one
  { arbitrary: hugeString, weight: 1 },
);

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(
    -0,
    -1,
    0.5,
    2 ** 31,
    Number.MAX_SAFE_INTEGER + 2,
    NaN,
    Infinity,
    -Infinity,
  ),
  fc.double(),
  anyString,
);

function plainObject(value: fc.Arbitrary<unknown>) {
  return fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...TRICKY_KEYS),
          fc.string({ unit: 'grapheme', maxLength: 8 }),
        ),
        value,
      ),
      { maxLength: 4 },
    )
    .map(objectFromEntries);
}

/** Any value parsed YAML or JSON can hold (with YAML's `.nan` and `.inf`). */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{
  value: unknown;
}>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    plainObject(tie('value')),
  ),
})).value;

/** Mostly `valid`, sometimes any value of any type: for any field of untrusted JSON. */
export function sometimesAnyValue(
  valid: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: hostileValue, weight: 1 },
  );
}

/** The arbitraries of one kind of input; see {@link kubernetesArbitraries}. */
export interface KubernetesArbitraries {
  /** A Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob. */
  workloadObject: fc.Arbitrary<KubeObject>;
  namespaceObject: fc.Arbitrary<KubeObject>;
  /** What workloads are checked with: Namespaces, ServiceAccounts, token Secrets, bindings and storage. */
  contextObject: fc.Arbitrary<KubeObject>;
  /** The objects of a manifest file or of a small cluster, any kind in any order. */
  kubeObjects: fc.Arbitrary<KubeObject[]>;
}

/**
 * Kubernetes objects with the fields the plugin reads. `wellTyped` objects
 * have the JSON types the API server guarantees (with odd strings and
 * numbers, and `null` for any optional field, as an empty YAML value gives);
 * otherwise any field may hold a value of any type, as a hand-written
 * manifest can.
 */
export function kubernetesArbitraries({
  wellTyped,
}: {
  wellTyped: boolean;
}): KubernetesArbitraries {
  /** Mostly `valid`; sometimes `null`, or when not well typed any value at all. */
  const orWrong = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    fc.oneof(
      { arbitrary: valid, weight: 8 },
      { arbitrary: wellTyped ? fc.constant(null) : hostileValue, weight: 1 },
    );
  /** An object with any subset of these fields, always with the required ones. */
  const fields = (model: Model, requiredKeys: string[] = []) =>
    orWrong(fc.record(model, { requiredKeys }));
  const present = (value: fc.Arbitrary<unknown>) =>
    wellTyped ? value.filter(item => item !== null) : value;
  // A list item is never left out: `null` in a list is a wrong type.
  const listOf = (item: fc.Arbitrary<unknown>, maxLength = 3) =>
    orWrong(fc.array(wellTyped ? present(item) : orWrong(item), { maxLength }));
  const oneOfOrAny = (...values: string[]) =>
    orWrong(
      fc.oneof(
        { arbitrary: fc.constantFrom(...values), weight: 3 },
        { arbitrary: anyString, weight: 1 },
      ),
    );
  const mapOf = (keys: string[], value: fc.Arbitrary<unknown>) =>
    orWrong(
      fc
        .array(
          fc.tuple(
            fc.oneof(
              { arbitrary: fc.constantFrom(...keys), weight: 3 },
              { arbitrary: anyString, weight: 1 },
            ),
            wellTyped ? present(value) : orWrong(value),
          ),
          { maxLength: 4 },
        )
        .map(objectFromEntries),
    );

  const bool = orWrong(fc.boolean());
  const int = orWrong(
    fc.oneof(
      fc.integer({ min: -1, max: 70_000 }),
      fc.constantFrom(0, 1000, 65535, 2 ** 31, -(2 ** 31), 100_000_000),
    ),
  );
  const intOrString = fc.oneof(int, oneOfOrAny('http', '8080'));
  /** Few names, so that references between objects often resolve. */
  const name = oneOfOrAny('app', 'sidecar', 'init', 'default', 'web', 'data');
  const namespaceName = oneOfOrAny('default', 'shop', 'kube-system');
  const uid = oneOfOrAny('uid-1', 'uid-2', 'uid-3', 'uid-4');
  const digest = `sha256:${'a'.repeat(64)}`;
  // Map values are strings even when well typed; `null` is not a label value.
  const labelValue = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'web',
        'privileged',
        'baseline',
        'restricted',
        'latest',
        'v1.25',
        'v1.35',
        'v9.99',
        '2024-01-01',
        'unconfined',
        'runtime/default',
        'localhost/profile',
        'true',
        'app',
        'default',
      ),
      weight: 3,
    },
    { arbitrary: anyString, weight: 1 },
  );

  const labels = mapOf(
    [
      'app',
      'backstage.io/kubernetes-id',
      'pod-security.kubernetes.io/enforce',
      'pod-security.kubernetes.io/enforce-version',
      'pod-security.kubernetes.io/warn',
      'pod-security.kubernetes.io/warn-version',
      'pod-security.kubernetes.io/audit',
      'kubernetes.io/legacy-token-last-used',
      'kubernetes.io/legacy-token-invalid-since',
    ],
    labelValue,
  );
  const annotations = mapOf(
    [
      'container.apparmor.security.beta.kubernetes.io/app',
      'container.apparmor.security.beta.kubernetes.io/init',
      'seccomp.security.alpha.kubernetes.io/pod',
      'container.seccomp.security.alpha.kubernetes.io/app',
      'kubernetes-security.io/uses-kubernetes-api',
      'kubernetes.io/service-account.name',
    ],
    labelValue,
  );

  const metadataNamed = (objectName: fc.Arbitrary<unknown>) =>
    fields({
      name: objectName,
      namespace: namespaceName,
      uid,
      labels,
      annotations,
      ownerReferences: listOf(
        fields({
          apiVersion: oneOfOrAny('apps/v1', 'batch/v1'),
          kind: oneOfOrAny(
            'ReplicaSet',
            'Deployment',
            'Job',
            'CronJob',
            'StatefulSet',
          ),
          name,
          uid,
          controller: bool,
        }),
      ),
      creationTimestamp: oneOfOrAny('2024-01-01T00:00:00Z'),
    });
  const objectMeta = metadataNamed(name);

  const capability = oneOfOrAny(
    'ALL',
    'all',
    'NET_BIND_SERVICE',
    'SYS_ADMIN',
    'CAP_SYS_ADMIN',
    'NET_RAW',
    'CHOWN',
  );
  const profile = fields({
    type: oneOfOrAny('RuntimeDefault', 'Localhost', 'Unconfined'),
    localhostProfile: anyString,
  });
  const seLinuxOptions = fields({
    user: anyString,
    role: anyString,
    type: oneOfOrAny('container_t', 'container_init_t', 'spc_t'),
    level: anyString,
  });
  const windowsOptions = fields({
    hostProcess: bool,
    runAsUserName: oneOfOrAny('NT AUTHORITY\\SYSTEM'),
  });

  const containerSecurityContext = fields({
    privileged: bool,
    allowPrivilegeEscalation: bool,
    readOnlyRootFilesystem: bool,
    runAsNonRoot: bool,
    runAsUser: int,
    runAsGroup: int,
    capabilities: fields({ add: listOf(capability), drop: listOf(capability) }),
    seccompProfile: profile,
    appArmorProfile: profile,
    seLinuxOptions,
    procMount: oneOfOrAny('Default', 'Unmasked'),
    windowsOptions,
  });
  const podSecurityContext = fields({
    runAsUser: int,
    runAsGroup: int,
    runAsNonRoot: bool,
    fsGroup: int,
    fsGroupChangePolicy: oneOfOrAny('Always', 'OnRootMismatch'),
    supplementalGroups: listOf(int),
    sysctls: listOf(
      fields({
        name: oneOfOrAny(
          'kernel.shm_rmid_forced',
          'net.ipv4.ip_local_port_range',
          'net.core.somaxconn',
          'kernel.msgmax',
        ),
        value: anyString,
      }),
    ),
    seccompProfile: profile,
    appArmorProfile: profile,
    seLinuxOptions,
    windowsOptions,
  });

  const handler = fields({
    httpGet: fields({ host: anyString, port: intOrString, path: anyString }),
    tcpSocket: fields({ host: anyString, port: intOrString }),
    exec: fields({ command: listOf(anyString) }),
  });
  const image = oneOfOrAny(
    'nginx',
    'nginx:latest',
    'nginx:1.25',
    'registry.k8s.io/pause:3.9',
    `ghcr.io/org/app@${digest}`,
    `ghcr.io/org/app:v1@${digest}`,
    'localhost:5000/app:v1',
    'Upper/Case:tag',
    '',
  );
  const container = fields(
    {
      name: present(name),
      image,
      imagePullPolicy: oneOfOrAny('Always', 'IfNotPresent', 'Never'),
      securityContext: containerSecurityContext,
      ports: listOf(
        fields({
          containerPort: int,
          hostPort: int,
          hostIP: anyString,
          protocol: oneOfOrAny('TCP', 'UDP'),
        }),
      ),
      volumeMounts: listOf(
        fields({
          name,
          mountPath: anyString,
          readOnly: bool,
          subPath: anyString,
        }),
      ),
      livenessProbe: handler,
      readinessProbe: handler,
      startupProbe: handler,
      lifecycle: fields({ postStart: handler, preStop: handler }),
      restartPolicy: oneOfOrAny('Always'),
      targetContainerName: name,
    },
    ['name'],
  );

  const accessModes = listOf(
    oneOfOrAny(
      'ReadWriteOnce',
      'ReadWriteOncePod',
      'ReadOnlyMany',
      'ReadWriteMany',
    ),
  );
  const storageClassName = oneOfOrAny('fast', 'slow', '');
  const csiDriverName = oneOfOrAny(
    'ebs.csi.aws.com',
    'secrets-store.csi.k8s.io',
    'nfs.csi.k8s.io',
  );
  const claimSpec = fields({ storageClassName, volumeName: name, accessModes });
  const volume = fields({
    name,
    hostPath: fields({
      path: oneOfOrAny('/', '/var/run/docker.sock', '/etc', '/proc', '/tmp'),
      type: anyString,
    }),
    projected: fields({
      sources: listOf(
        fields({
          serviceAccountToken: fields({
            expirationSeconds: int,
            audience: anyString,
            path: anyString,
          }),
          secret: fields({ name }),
          configMap: fields({ name }),
        }),
      ),
    }),
    secret: fields({ secretName: oneOfOrAny('app-token', 'default-token-x') }),
    persistentVolumeClaim: fields({ claimName: name, readOnly: bool }),
    ephemeral: fields({ volumeClaimTemplate: fields({ spec: claimSpec }) }),
    csi: fields({
      driver: csiDriverName,
      readOnly: bool,
      fsType: oneOfOrAny('ext4', 'xfs'),
    }),
    emptyDir: fields({}),
  });

  // The fields that lead to containers are mostly there, so that checks have something to read.
  const podSpec = fields(
    {
      containers: listOf(container),
      initContainers: listOf(container),
      ephemeralContainers: listOf(container),
      volumes: listOf(volume),
      hostPID: bool,
      hostIPC: bool,
      hostNetwork: bool,
      hostUsers: bool,
      serviceAccountName: oneOfOrAny('default', 'app', 'builder'),
      serviceAccount: oneOfOrAny('default', 'app'),
      automountServiceAccountToken: bool,
      securityContext: podSecurityContext,
      os: fields({ name: oneOfOrAny('linux', 'windows') }),
      nodeName: name,
      imagePullSecrets: listOf(fields({ name })),
    },
    ['containers'],
  );
  const podTemplate = fields({ metadata: objectMeta, spec: podSpec }, ['spec']);

  const kubeObject = (
    kind: string,
    apiVersion: string,
    model: Model,
    metadata = objectMeta,
  ): fc.Arbitrary<KubeObject> =>
    fc.record<Record<string, unknown>>(
      {
        apiVersion: oneOfOrAny(apiVersion),
        kind: fc.constant(kind),
        metadata,
        ...model,
      },
      {
        requiredKeys: [
          'kind',
          'metadata',
          ...('spec' in model ? ['spec'] : []),
        ],
      },
    ) as fc.Arbitrary<KubeObject>;

  const containerStatuses = listOf(
    fields({
      name,
      image,
      imageID: oneOfOrAny(
        `docker-pullable://nginx@${digest}`,
        `ghcr.io/org/app@${digest}`,
        digest,
      ),
      ready: bool,
      restartCount: int,
    }),
  );
  const pod = kubeObject('Pod', 'v1', {
    spec: podSpec,
    status: fields({
      phase: oneOfOrAny('Running', 'Pending'),
      containerStatuses,
      initContainerStatuses: containerStatuses,
      ephemeralContainerStatuses: containerStatuses,
    }),
  });
  const controller = (kind: string, apiVersion: string) =>
    kubeObject(kind, apiVersion, {
      spec: fields(
        {
          replicas: int,
          selector: fields({ matchLabels: labels }),
          template: podTemplate,
          volumeClaimTemplates: listOf(
            fields({ metadata: objectMeta, spec: claimSpec }),
          ),
        },
        ['template'],
      ),
      status: fields({
        readyReplicas: int,
        numberReady: int,
        desiredNumberScheduled: int,
      }),
    });
  const cronJob = kubeObject('CronJob', 'batch/v1', {
    spec: fields(
      {
        schedule: anyString,
        jobTemplate: fields(
          {
            metadata: objectMeta,
            spec: fields({ template: podTemplate }, ['template']),
          },
          ['spec'],
        ),
      },
      ['jobTemplate'],
    ),
  });

  const workloadObject = fc.oneof(
    pod,
    controller('Deployment', 'apps/v1'),
    controller('ReplicaSet', 'apps/v1'),
    controller('StatefulSet', 'apps/v1'),
    controller('DaemonSet', 'apps/v1'),
    controller('Job', 'batch/v1'),
    cronJob,
  );
  const namespaceObject = kubeObject(
    'Namespace',
    'v1',
    {},
    metadataNamed(namespaceName),
  );
  const subject = fields({
    kind: oneOfOrAny('ServiceAccount', 'User', 'Group'),
    name,
    namespace: namespaceName,
  });
  const contextObject = fc.oneof(
    namespaceObject,
    kubeObject('ServiceAccount', 'v1', {
      automountServiceAccountToken: bool,
      secrets: listOf(fields({ name })),
    }),
    kubeObject('Secret', 'v1', {
      type: oneOfOrAny('kubernetes.io/service-account-token', 'Opaque'),
    }),
    kubeObject('RoleBinding', 'rbac.authorization.k8s.io/v1', {
      subjects: listOf(subject),
    }),
    kubeObject('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', {
      subjects: listOf(subject),
    }),
    kubeObject('PersistentVolumeClaim', 'v1', { spec: claimSpec }),
    kubeObject('PersistentVolume', 'v1', {
      spec: fields({
        accessModes,
        storageClassName,
        csi: fields({ driver: csiDriverName, fsType: oneOfOrAny('ext4') }),
      }),
    }),
    kubeObject('CSIDriver', 'storage.k8s.io/v1', {
      spec: fields({
        fsGroupPolicy: oneOfOrAny('File', 'None', 'ReadWriteOnceWithFSType'),
      }),
    }),
    kubeObject('StorageClass', 'storage.k8s.io/v1', {
      provisioner: csiDriverName,
      parameters: mapOf(
        ['csi.storage.k8s.io/fstype', 'fsType', 'fstype'],
        oneOfOrAny('ext4', 'xfs'),
      ),
    }),
  );
  return {
    workloadObject,
    namespaceObject,
    contextObject,
    kubeObjects: fc.array(fc.oneof(workloadObject, contextObject), {
      maxLength: 6,
    }),
  };
}

/** Objects as an API server gives them: right JSON types, odd values. */
export const wellTypedKubernetes = kubernetesArbitraries({ wellTyped: true });
/** Objects as a hand-written manifest may give them: any type anywhere. */
export const anyShapeKubernetes = kubernetesArbitraries({ wellTyped: false });

/** As the backend reads it from `/version`, or unknown. */
export const clusterVersion: fc.Arbitrary<ClusterVersion | undefined> =
  fc.option(
    fc.record({
      major: fc.integer({ min: 0, max: 2 }),
      minor: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(NaN)),
    }),
    { nil: undefined },
  );

/** Results of the backend's signature verification: well typed, odd strings. */
export const imageVerifications: fc.Arbitrary<ImageVerification[]> = fc.array(
  fc.record({
    image: fc.oneof(fc.constantFrom('nginx', 'nginx:1.25'), anyString),
    state: fc.constantFrom<ImageSignatureState>(...IMAGE_SIGNATURE_STATES),
    reason: anyString,
    policy: fc.option(anyString, { nil: undefined }),
    signatures: fc.array(
      fc.record({
        format: fc.constantFrom<'legacy' | 'bundle'>('legacy', 'bundle'),
        accepted: fc.boolean(),
        identity: fc.option(anyString, { nil: undefined }),
        reason: fc.option(anyString, { nil: undefined }),
      }),
      { maxLength: 2 },
    ),
    verifiedAt: fc.constant('2026-01-01T00:00:00Z'),
    usedBy: fc.array(
      fc.record({
        kind: fc.constant('Deployment'),
        namespace: fc.constant('default'),
        name: fc.constant('web'),
        container: fc.oneof(fc.constantFrom('app', 'init'), anyString),
      }),
      { maxLength: 2 },
    ),
  }),
  { maxLength: 3 },
);

/** A permutation of every object's keys, all the way down: the same data written in another order. */
export function withShuffledKeys<T>(value: T, seed: number): T {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: deterministic per seed, so a failure replays
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const shuffle = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(shuffle);
    if (item === null || typeof item !== 'object') return item;
    const entries = Object.entries(item);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    return objectFromEntries(
      entries.map(([key, field]) => [key, shuffle(field)]),
    );
  };
  return shuffle(value) as T;
}
