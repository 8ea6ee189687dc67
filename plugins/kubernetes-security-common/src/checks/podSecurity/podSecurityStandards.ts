import type { ObjectMeta, PodSpec } from '../../kubernetes';
import { containerEntries, field, type ContainerEntry } from '../podSpec';
import { BASELINE_CAPABILITIES } from './baselineCapabilities';

/*
 * The Pod Security Standards as Pod Security Admission evaluates them
 * (k8s.io/pod-security-admission/policy): which controls a level checks at a
 * version, and which fields of a pod violate them. Pure; no I/O.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** As in the `pod-security.kubernetes.io/<mode>-version` label: `latest` or `v1.N`. */
export type PodSecurityVersion = string;

export interface ViolatingField {
  /** Full path, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path: string;
  /** The field relative to its container, pod spec or metadata, e.g. `securityContext.privileged`. */
  field: string;
  /** The offending value; `unset` where a value is required. */
  value: string;
  container?: string;
}

export interface PodSecurityViolation {
  /** The check's id in k8s.io/pod-security-admission, e.g. `hostNamespaces`. */
  checkId: string;
  /** The control's name on the Pod Security Standards page, e.g. `Host Namespaces`. */
  control: string;
  /** The level that introduces the check. */
  level: 'baseline' | 'restricted';
  fields: ViolatingField[];
}

export interface PodUnderEvaluation {
  spec?: PodSpec;
  metadata?: ObjectMeta;
  /** Path of the pod spec in the object; `spec` for a Pod. */
  specPath?: string;
  /** Path of the pod metadata in the object; `metadata` for a Pod. */
  metadataPath?: string;
}

interface Pod {
  spec: PodSpec;
  annotations: Record<string, string>;
  containers: ContainerEntry[];
  specPath: string;
  metadataPath: string;
}

type CheckPod = (pod: Pod) => ViolatingField[];

interface Variant {
  /** First minor version (v1.N) this variant applies to, until the next variant. */
  since: number;
  check: CheckPod;
  /** Baseline checks this restricted check replaces at the restricted level. */
  overrides?: string[];
}

interface Control {
  checkId: string;
  control: string;
  level: 'baseline' | 'restricted';
  variants: Variant[];
}

function render(value: unknown): string {
  if (value === undefined) return 'unset';
  if (value === '') return '""';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A field read the way Go reads it: JSON null is the same as absent. Takes `ports[0].hostPort` paths. */
function read<T = unknown>(object: unknown, path: string): T | undefined {
  return field<T>(object, path.replace(/\[(\d+)\]/g, '.$1')) ?? undefined;
}

/** An object fields are read from: the pod spec or a container. */
interface Place {
  object: unknown;
  path: string;
  container?: string;
}

const podPlace = (pod: Pod): Place => ({
  object: pod.spec,
  path: pod.specPath,
});
const podLevel = (pod: Pod): Place[] => [podPlace(pod)];

/** Every container, init and ephemeral ones included, as PSA visits them. */
const containerLevel = (pod: Pod): Place[] =>
  pod.containers.map(({ container, path }) => ({
    object: container,
    path,
    container: container.name,
  }));

/**
 * The field at `key` of each place where `isBad` holds for its value; `parent`
 * is the object holding the field, to tell an unset field from an unset parent.
 */
function fieldsWhere(
  places: Place[],
  key: string,
  isBad: (value: unknown, parent: unknown) => boolean,
): ViolatingField[] {
  const dot = key.lastIndexOf('.');
  return places.flatMap(place => {
    const parent =
      dot === -1 ? place.object : read(place.object, key.slice(0, dot));
    const value = read(place.object, key);
    return isBad(value, parent) ? [violation(place, key, value)] : [];
  });
}

function violation(
  { path, container }: Place,
  key: string,
  value: unknown,
): ViolatingField {
  return {
    path: `${path}.${key}`,
    field: key,
    value: render(value),
    ...(container ? { container } : {}),
  };
}

function annotation(pod: Pod, key: string, container?: string): ViolatingField {
  const place = { object: pod.annotations, path: pod.metadataPath, container };
  return violation(place, `annotations['${key}']`, pod.annotations[key]);
}

/** A security context field, pod level first, where `isBad` holds. */
function securityContextFields(
  pod: Pod,
  key: string,
  isBad: (value: unknown, parent: unknown) => boolean,
): ViolatingField[] {
  return fieldsWhere(
    [...podLevel(pod), ...containerLevel(pod)],
    `securityContext.${key}`,
    isBad,
  );
}

/**
 * A setting every container must have, directly or through the pod's
 * default. Like PSA, explicitly bad values are reported on their own, and
 * only without them the containers that leave it unset.
 */
function requiredOnPodOrEveryContainer(
  pod: Pod,
  key: string,
  isSet: (value: unknown, parent: unknown) => boolean,
  isGood: (value: unknown) => boolean,
): ViolatingField[] {
  const path = `securityContext.${key}`;
  const explicit = fieldsWhere(
    [...podLevel(pod), ...containerLevel(pod)],
    path,
    (v, p) => isSet(v, p) && !isGood(v),
  );
  if (explicit.length > 0) return explicit;
  if (
    fieldsWhere(podLevel(pod), path, (v, p) => isSet(v, p) && isGood(v))
      .length > 0
  )
    return [];
  return fieldsWhere(containerLevel(pod), path, (v, p) => !isSet(v, p));
}

const isTrue = (value: unknown) => value === true;
const isSetTo = (allowed: string[]) => (value: unknown) =>
  value !== undefined && !allowed.includes(value as string);
const isWindows = (pod: Pod) => read(pod.spec, 'os.name') === 'windows';
// KEP-127: a pod in its own user namespace is not root on the host.
const inUserNamespace = (pod: Pod) => pod.spec.hostUsers === false;

function unless(condition: (pod: Pod) => boolean, check: CheckPod): CheckPod {
  return pod => (condition(pod) ? [] : check(pod));
}

const hostNamespaces: CheckPod = pod =>
  ['hostNetwork', 'hostPID', 'hostIPC'].flatMap(key =>
    fieldsWhere(podLevel(pod), key, isTrue),
  );

const privileged: CheckPod = pod =>
  fieldsWhere(containerLevel(pod), 'securityContext.privileged', isTrue);

const windowsHostProcess: CheckPod = pod =>
  securityContextFields(pod, 'windowsOptions.hostProcess', isTrue);

/** The added capabilities outside `allowed`, compared exactly as written. */
export function capabilitiesOutside(
  added: string[],
  allowed: string[],
): string[] {
  return added.filter(capability => !allowed.includes(capability));
}

/** `capabilities.add` of each container that adds one outside `allowed`; the value lists those. */
function addedCapabilities(pod: Pod, allowed: string[]): ViolatingField[] {
  return containerLevel(pod).flatMap(place => {
    const added =
      read<string[]>(place.object, 'securityContext.capabilities.add') ?? [];
    const forbidden = capabilitiesOutside(added, allowed);
    return forbidden.length > 0
      ? [violation(place, 'securityContext.capabilities.add', forbidden)]
      : [];
  });
}

const capabilitiesBaseline: CheckPod = pod =>
  addedCapabilities(pod, BASELINE_CAPABILITIES);

const capabilitiesRestricted: CheckPod = pod => [
  ...fieldsWhere(
    containerLevel(pod),
    'securityContext.capabilities.drop',
    drop => !(Array.isArray(drop) && drop.includes('ALL')),
  ),
  ...addedCapabilities(pod, ['NET_BIND_SERVICE']),
];

/**
 * Each volume's source, e.g. `volumes[0].hostPath`; a volume without one is
 * defaulted to emptyDir before admission. A manifest may write several
 * (the API server refuses that): each is judged, whatever their order.
 */
function volumeSources(pod: Pod): { source: string; key: string }[] {
  return (
    (pod.spec.volumes as Record<string, unknown>[] | undefined) ?? []
  ).flatMap((volume, index) => {
    const sources = Object.keys(volume)
      .filter(
        key =>
          key !== 'name' && volume[key] !== null && volume[key] !== undefined,
      )
      .sort();
    return (sources.length ? sources : ['emptyDir']).map(source => ({
      source,
      key: `volumes[${index}].${source}`,
    }));
  });
}

const hostPathVolumes: CheckPod = pod =>
  volumeSources(pod)
    .filter(({ source }) => source === 'hostPath')
    .map(({ key }) =>
      violation(podPlace(pod), key, read(pod.spec, `${key}.path`)),
    );

const RESTRICTED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

const restrictedVolumes: CheckPod = pod =>
  volumeSources(pod)
    .filter(({ source }) => !RESTRICTED_VOLUME_SOURCES.includes(source))
    .map(({ source, key }) => violation(podPlace(pod), key, source));

const hostPorts: CheckPod = pod =>
  containerLevel(pod).flatMap(place =>
    (read<unknown[]>(place.object, 'ports') ?? []).flatMap((_, index) =>
      fieldsWhere([place], `ports[${index}].hostPort`, port => !!port),
    ),
  );

const HOST_FIELDS = [
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle.postStart',
  'lifecycle.preStop',
].flatMap(handler => [`${handler}.httpGet.host`, `${handler}.tcpSocket.host`]);

const hostProbesAndLifecycle: CheckPod = pod =>
  HOST_FIELDS.flatMap(key =>
    fieldsWhere(
      containerLevel(pod),
      key,
      host => host !== undefined && host !== '',
    ),
  );

/** `<key>.type` wherever the profile is set with a type other than `allowed` (a missing type included). */
function profileTypes(
  pod: Pod,
  key: string,
  allowed: string[],
): ViolatingField[] {
  return securityContextFields(
    pod,
    `${key}.type`,
    (type, profile) =>
      profile !== undefined && !allowed.includes(type as string),
  );
}

/** The `appArmorProfile.type` and `seccompProfile.type` values that keep a profile on. */
export const CONFINED_PROFILE_TYPES = ['RuntimeDefault', 'Localhost'];

/** A deprecated profile annotation whose value turns the profile off. */
export interface UnconfinedAnnotation {
  key: string;
  value: string;
  /** The container the annotation is for; absent for the pod-wide one. */
  container?: string;
}

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * The deprecated AppArmor annotations that turn the profile off; an empty
 * value means the default. Any annotation under the prefix counts, whether
 * or not it names a container of the pod. In key order, as the API server
 * sorts them, so that a manifest gives the same findings however written.
 */
export function unconfinedAppArmorAnnotations(
  annotations: Record<string, string>,
): (UnconfinedAnnotation & { container: string })[] {
  // The keys of one object differ: none compares equal.
  return Object.entries(annotations)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .filter(
      ([key, value]) =>
        key.startsWith(APPARMOR_ANNOTATION) &&
        !(
          value === '' ||
          value === 'runtime/default' ||
          value.startsWith('localhost/')
        ),
    )
    .map(([key, value]) => ({
      key,
      value,
      container: key.slice(APPARMOR_ANNOTATION.length),
    }));
}

const appArmor: CheckPod = pod => [
  ...profileTypes(pod, 'appArmorProfile', CONFINED_PROFILE_TYPES),
  ...unconfinedAppArmorAnnotations(pod.annotations).map(({ key, container }) =>
    annotation(pod, key, container),
  ),
];

function seLinuxOptions(allowedTypes: string[]): CheckPod {
  return pod => [
    ...securityContextFields(pod, 'seLinuxOptions.type', isSetTo(allowedTypes)),
    ...securityContextFields(pod, 'seLinuxOptions.user', isSetTo([''])),
    ...securityContextFields(pod, 'seLinuxOptions.role', isSetTo([''])),
  ];
}

const SELINUX_TYPES = [
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
];

const procMount: CheckPod = pod =>
  fieldsWhere(
    containerLevel(pod),
    'securityContext.procMount',
    isSetTo(['Default']),
  );

/**
 * The deprecated seccomp annotations (before Kubernetes 1.19) that turn the
 * profile off, the pod's first. Only the pod annotation and those naming a
 * container of the pod count.
 */
export function unconfinedSeccompAnnotations(
  annotations: Record<string, string>,
  containers: ContainerEntry[],
): UnconfinedAnnotation[] {
  return [
    { key: 'seccomp.security.alpha.kubernetes.io/pod', container: undefined },
    ...containers.map(({ container }) => ({
      key: `container.seccomp.security.alpha.kubernetes.io/${container.name}`,
      container: container.name,
    })),
  ].flatMap(({ key, container }) => {
    const value = annotations[key];
    return value === undefined ||
      value === 'runtime/default' ||
      value === 'docker/default' ||
      value.startsWith('localhost/')
      ? []
      : [{ key, value, container }];
  });
}

const seccompAnnotations: CheckPod = pod =>
  unconfinedSeccompAnnotations(pod.annotations, pod.containers).map(
    ({ key, container }) => annotation(pod, key, container),
  );

const seccompBaseline: CheckPod = pod =>
  profileTypes(pod, 'seccompProfile', CONFINED_PROFILE_TYPES);

const seccompRestricted: CheckPod = pod =>
  requiredOnPodOrEveryContainer(
    pod,
    'seccompProfile.type',
    (_, profile) => profile !== undefined,
    type => CONFINED_PROFILE_TYPES.includes(type as string),
  );

const runAsNonRoot: CheckPod = pod =>
  requiredOnPodOrEveryContainer(
    pod,
    'runAsNonRoot',
    value => value !== undefined,
    isTrue,
  );

const runAsUser: CheckPod = pod =>
  securityContextFields(pod, 'runAsUser', user => user === 0);

const allowPrivilegeEscalation: CheckPod = pod =>
  fieldsWhere(
    containerLevel(pod),
    'securityContext.allowPrivilegeEscalation',
    value => value !== false,
  );

const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [
  ...SYSCTLS_1_29,
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];
const SYSCTLS_1_37 = [
  ...SYSCTLS_1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
];

function sysctls(allowed: string[]): CheckPod {
  return pod =>
    (read<unknown[]>(pod.spec, 'securityContext.sysctls') ?? []).flatMap(
      (_, index) =>
        fieldsWhere(
          podLevel(pod),
          `securityContext.sysctls[${index}].name`,
          name => !allowed.includes(name as string),
        ),
    );
}

const baseline = (
  checkId: string,
  control: string,
  ...variants: Variant[]
): Control => ({ checkId, control, level: 'baseline', variants });

const restricted = (
  checkId: string,
  control: string,
  ...variants: Variant[]
): Control => ({ checkId, control, level: 'restricted', variants });

/** A check that is the same at every version. */
const always = (check: CheckPod): Variant => ({ since: 0, check });

/** `check` from v1.`since`, and from v1.`exemptSince` only for pods that are not `exempt`. */
function exemptingFrom(
  exemptSince: number,
  exempt: (pod: Pod) => boolean,
): (since: number, check: CheckPod, overrides?: string[]) => Variant[] {
  return (since, check, overrides) =>
    [
      { since, check },
      { since: exemptSince, check: unless(exempt, check) },
    ].map(variant => (overrides ? { ...variant, overrides } : variant));
}

// Windows pods cannot set the Linux-only fields; exempt from 1.25.
const windowsExemptFrom25 = exemptingFrom(25, isWindows);
const userNamespaceExemptFrom35 = exemptingFrom(35, inUserNamespace);

const CONTROLS: Control[] = [
  baseline('windowsHostProcess', 'HostProcess', always(windowsHostProcess)),
  baseline('hostNamespaces', 'Host Namespaces', always(hostNamespaces)),
  baseline('privileged', 'Privileged Containers', always(privileged)),
  baseline(
    'capabilities_baseline',
    'Capabilities',
    always(capabilitiesBaseline),
  ),
  baseline('hostPathVolumes', 'HostPath Volumes', always(hostPathVolumes)),
  baseline('hostPorts', 'Host Ports', always(hostPorts)),
  baseline('hostProbesAndHostLifecycle', 'Host Probes / Lifecycle Hooks', {
    since: 34,
    check: hostProbesAndLifecycle,
  }),
  baseline('appArmorProfile', 'AppArmor', always(appArmor)),
  baseline('seLinuxOptions', 'SELinux', always(seLinuxOptions(SELINUX_TYPES)), {
    since: 31,
    check: seLinuxOptions([...SELINUX_TYPES, 'container_engine_t']),
  }),
  baseline(
    'procMount',
    '/proc Mount Type',
    ...userNamespaceExemptFrom35(0, procMount),
  ),
  // Before 1.19 seccomp was set by annotations; from 1.19 only the fields count.
  baseline('seccompProfile_baseline', 'Seccomp', always(seccompAnnotations), {
    since: 19,
    check: seccompBaseline,
  }),
  baseline(
    'sysctls',
    'Sysctls',
    always(sysctls(SYSCTLS_1_0)),
    { since: 27, check: sysctls(SYSCTLS_1_27) },
    { since: 29, check: sysctls(SYSCTLS_1_29) },
    { since: 32, check: sysctls(SYSCTLS_1_32) },
    { since: 37, check: sysctls(SYSCTLS_1_37) },
  ),
  restricted('restrictedVolumes', 'Volume Types', {
    ...always(restrictedVolumes),
    overrides: ['hostPathVolumes'],
  }),
  restricted(
    'allowPrivilegeEscalation',
    'Privilege Escalation',
    ...windowsExemptFrom25(8, allowPrivilegeEscalation),
  ),
  restricted(
    'runAsNonRoot',
    'Running as Non-root',
    ...userNamespaceExemptFrom35(0, runAsNonRoot),
  ),
  restricted(
    'runAsUser',
    'Running as Non-root user',
    ...userNamespaceExemptFrom35(23, runAsUser),
  ),
  restricted(
    'seccompProfile_restricted',
    'Seccomp',
    ...windowsExemptFrom25(19, seccompRestricted, ['seccompProfile_baseline']),
  ),
  // Overriding the baseline check means a Windows pod is not checked for capabilities at all from 1.25.
  restricted(
    'capabilities_restricted',
    'Capabilities',
    ...windowsExemptFrom25(22, capabilitiesRestricted, [
      'capabilities_baseline',
    ]),
  ),
  // Keeps the unconditional check in restricted once baseline relaxes it for user namespaces.
  restricted('procMount_restricted', '/proc Mount Type', {
    since: 35,
    check: procMount,
    overrides: ['procMount'],
  }),
];

/** The newest version with a change; later versions evaluate the same. */
export const NEWEST_POD_SECURITY_MINOR = Math.max(
  ...CONTROLS.flatMap(c => c.variants.map(v => v.since)),
);

/** The minor version a label value selects; like PSA, an invalid value means `latest`. */
export function podSecurityMinor(
  version: PodSecurityVersion | undefined,
): number | 'latest' {
  const match = /^v1\.(0|[1-9][0-9]*)$/.exec(version ?? '');
  return match ? Number(match[1]) : 'latest';
}

/** Every control of `level` at `version` that the pod violates, with the violating fields. */
export function evaluatePodSecurity(
  input: PodUnderEvaluation,
  level: PodSecurityLevel,
  version: PodSecurityVersion,
): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  const requested = podSecurityMinor(version);
  const minor = requested === 'latest' ? NEWEST_POD_SECURITY_MINOR : requested;
  const specPath = input.specPath ?? 'spec';
  const pod: Pod = {
    spec: input.spec ?? {},
    annotations: input.metadata?.annotations ?? {},
    containers: containerEntries(input.spec, specPath),
    specPath,
    metadataPath: input.metadataPath ?? 'metadata',
  };
  const active = CONTROLS.filter(
    control => level === 'restricted' || control.level === 'baseline',
  ).flatMap(control => {
    const variant = [...control.variants].reverse().find(v => v.since <= minor);
    return variant ? [{ control, variant }] : [];
  });
  const overridden = new Set(
    active.flatMap(({ variant }) => variant.overrides ?? []),
  );
  return active
    .filter(({ control }) => !overridden.has(control.checkId))
    .map(({ control, variant }) => ({
      checkId: control.checkId,
      control: control.control,
      level: control.level,
      fields: variant.check(pod),
    }))
    .filter(result => result.fields.length > 0);
}
