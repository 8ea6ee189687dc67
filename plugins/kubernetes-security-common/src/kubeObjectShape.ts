/**
 * The JSON types of the fields this plugin reads, as the API server enforces
 * them when it decodes an object. Objects listed from a cluster always have
 * them; manifests (CLI input) are not decoded by anyone, so a field written
 * with the wrong type (a map where a list belongs, a number for a label) is
 * reported here, with its path, the way `kubectl apply` would refuse it,
 * instead of reaching the checks. `null` stands for an absent field, as in
 * the API; fields not read by the plugin are not looked at.
 */

type Shape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'int-or-string'
  | { list: Shape }
  | { map: Shape }
  | { fields: Record<string, Shape> }
  /** A field that must be written, e.g. a container's name. */
  | { required: Shape };

/** A field of an object whose value does not have the type the API requires. */
export interface ShapeProblem {
  /** Field path, e.g. `spec.template.spec.containers[0].name`. */
  path: string;
  message: string;
}

const string: Shape = 'string';
const integer: Shape = 'integer';
const boolean: Shape = 'boolean';
const fields = (model: Record<string, Shape>): Shape => ({ fields: model });
const list = (item: Shape): Shape => ({ list: item });
const map = (value: Shape): Shape => ({ map: value });
const required = (shape: Shape): Shape => ({ required: shape });
const names = list(fields({ name: string }));

const objectMeta = fields({
  name: string,
  generateName: string,
  namespace: string,
  uid: string,
  labels: map(string),
  annotations: map(string),
  ownerReferences: list(
    fields({
      apiVersion: string,
      kind: string,
      name: string,
      uid: string,
      controller: boolean,
    }),
  ),
  creationTimestamp: string,
});

const profile = fields({ type: string, localhostProfile: string });
const seLinuxOptions = fields({
  user: string,
  role: string,
  type: string,
  level: string,
});
const windowsOptions = fields({
  hostProcess: boolean,
  runAsUserName: string,
});
const sharedSecurityContext: Record<string, Shape> = {
  runAsUser: integer,
  runAsGroup: integer,
  runAsNonRoot: boolean,
  seccompProfile: profile,
  appArmorProfile: profile,
  seLinuxOptions,
  windowsOptions,
};

const handler: Record<string, Shape> = {
  httpGet: fields({ host: string, port: 'int-or-string', path: string }),
  tcpSocket: fields({ host: string, port: 'int-or-string' }),
  exec: fields({ command: list(string) }),
};
const container = fields({
  name: required(string),
  image: string,
  imagePullPolicy: string,
  securityContext: fields({
    ...sharedSecurityContext,
    privileged: boolean,
    allowPrivilegeEscalation: boolean,
    readOnlyRootFilesystem: boolean,
    capabilities: fields({ add: list(string), drop: list(string) }),
    procMount: string,
  }),
  ports: list(
    fields({
      containerPort: integer,
      hostPort: integer,
      hostIP: string,
      protocol: string,
    }),
  ),
  volumeMounts: list(
    fields({
      name: string,
      mountPath: string,
      subPath: string,
      readOnly: boolean,
    }),
  ),
  livenessProbe: fields(handler),
  readinessProbe: fields(handler),
  startupProbe: fields(handler),
  lifecycle: fields({ postStart: fields(handler), preStop: fields(handler) }),
  restartPolicy: string,
  targetContainerName: string,
});

const claimSpec = fields({
  storageClassName: string,
  volumeName: string,
  accessModes: list(string),
});
const volume = fields({
  name: string,
  hostPath: fields({ path: string, type: string }),
  projected: fields({
    sources: list(
      fields({
        serviceAccountToken: fields({
          expirationSeconds: integer,
          audience: string,
          path: string,
        }),
        secret: fields({ name: string }),
        configMap: fields({ name: string }),
      }),
    ),
  }),
  secret: fields({ secretName: string }),
  persistentVolumeClaim: fields({ claimName: string, readOnly: boolean }),
  ephemeral: fields({
    volumeClaimTemplate: fields({ metadata: objectMeta, spec: claimSpec }),
  }),
  csi: fields({ driver: string, readOnly: boolean, fsType: string }),
});

const podSpec = fields({
  containers: list(container),
  initContainers: list(container),
  ephemeralContainers: list(container),
  volumes: list(volume),
  hostPID: boolean,
  hostIPC: boolean,
  hostNetwork: boolean,
  hostUsers: boolean,
  serviceAccountName: string,
  serviceAccount: string,
  automountServiceAccountToken: boolean,
  nodeName: string,
  os: fields({ name: string }),
  imagePullSecrets: names,
  securityContext: fields({
    ...sharedSecurityContext,
    fsGroup: integer,
    fsGroupChangePolicy: string,
    supplementalGroups: list(integer),
    sysctls: list(fields({ name: string, value: string })),
  }),
});
const podTemplate = fields({ metadata: objectMeta, spec: podSpec });

const containerStatuses = list(
  fields({
    name: string,
    image: string,
    imageID: string,
    ready: boolean,
    restartCount: integer,
  }),
);
const controller = {
  spec: fields({
    replicas: integer,
    template: podTemplate,
    selector: fields({
      matchLabels: map(string),
      matchExpressions: list(
        fields({ key: string, operator: string, values: list(string) }),
      ),
    }),
    volumeClaimTemplates: list(
      fields({ metadata: objectMeta, spec: claimSpec }),
    ),
  }),
  status: fields({
    readyReplicas: integer,
    numberReady: integer,
    desiredNumberScheduled: integer,
  }),
};
const binding = {
  subjects: list(fields({ kind: string, name: string, namespace: string })),
};

/** The fields of each kind beyond `apiVersion`, `kind` and `metadata`. */
const KINDS: Record<string, Record<string, Shape>> = {
  Pod: {
    spec: podSpec,
    status: fields({
      phase: string,
      containerStatuses,
      initContainerStatuses: containerStatuses,
      ephemeralContainerStatuses: containerStatuses,
    }),
  },
  Deployment: controller,
  ReplicaSet: controller,
  StatefulSet: controller,
  DaemonSet: controller,
  Job: controller,
  CronJob: {
    spec: fields({
      jobTemplate: fields({
        metadata: objectMeta,
        spec: fields({ template: podTemplate }),
      }),
    }),
  },
  ServiceAccount: {
    automountServiceAccountToken: boolean,
    secrets: names,
    imagePullSecrets: names,
  },
  Secret: { type: string },
  RoleBinding: binding,
  ClusterRoleBinding: binding,
  PersistentVolumeClaim: { spec: claimSpec },
  PersistentVolume: {
    spec: fields({
      storageClassName: string,
      accessModes: list(string),
      csi: fields({ driver: string, fsType: string, readOnly: boolean }),
    }),
  },
  CSIDriver: { spec: fields({ fsGroupPolicy: string }) },
  StorageClass: { provisioner: string, parameters: map(string) },
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'object':
      return 'a map';
    case 'number':
      return Number.isFinite(value) ? 'a number' : 'a non-finite number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function check(
  value: unknown,
  shape: Shape,
  path: string,
  problems: ShapeProblem[],
): void {
  const problem = (expected: string) =>
    problems.push({
      path,
      message: `${path || 'the object'}: expected ${expected}, found ${typeName(
        value,
      )}`,
    });
  if (shape === 'string') {
    if (typeof value !== 'string') problem('a string');
  } else if (shape === 'boolean') {
    if (typeof value !== 'boolean') problem('a boolean');
  } else if (shape === 'integer') {
    if (!Number.isSafeInteger(value)) problem('an integer');
  } else if (shape === 'int-or-string') {
    if (typeof value !== 'string' && !Number.isSafeInteger(value))
      problem('an integer or a string');
  } else if ('required' in shape) {
    check(value, shape.required, path, problems);
  } else if ('list' in shape) {
    if (!Array.isArray(value)) problem('a list');
    else
      value.forEach((item, index) =>
        check(item, shape.list, `${path}[${index}]`, problems),
      );
  } else if (!isMap(value)) {
    problem('a map');
  } else if ('map' in shape) {
    for (const [key, item] of Object.entries(value))
      check(item, shape.map, `${path}["${key}"]`, problems);
  } else {
    checkFields(value, shape.fields, path, problems);
  }
}

function checkFields(
  object: Record<string, unknown>,
  model: Record<string, Shape>,
  path: string,
  problems: ShapeProblem[],
): void {
  for (const [key, shape] of Object.entries(model)) {
    const fieldPath = path ? `${path}.${key}` : key;
    // `null` is how JSON and an empty YAML value leave a field out.
    const value = Object.prototype.hasOwnProperty.call(object, key)
      ? object[key]
      : null;
    if (value !== null) check(value, shape, fieldPath, problems);
    else if (typeof shape === 'object' && 'required' in shape)
      problems.push({ path: fieldPath, message: `${fieldPath}: required` });
  }
}

/** The fields of a manifest object whose JSON type is not the one the API requires; none for a well-formed object. */
export function kubeObjectShapeProblems(object: unknown): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  if (!isMap(object)) {
    check(object, fields({}), '', problems);
    return problems;
  }
  checkFields(
    object,
    {
      apiVersion: string,
      kind: string,
      metadata: objectMeta,
      ...(typeof object.kind === 'string' &&
      Object.prototype.hasOwnProperty.call(KINDS, object.kind)
        ? KINDS[object.kind]
        : {}),
    },
    '',
    problems,
  );
  return problems;
}
