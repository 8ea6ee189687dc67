import type { Container, PodSpec } from '../kubernetes';
import { containerFix, securityContextFix } from './fix';
import {
  containerEntries,
  field,
  podMetadataPath,
  type ContainerListField,
} from './podSpec';
import type { ClusterVersion, FindingDraft, WorkloadUnderCheck } from './types';

/**
 * A pod that declares `spec.os.name: windows`. The API server rejects the
 * Linux-only security fields (capabilities, seccomp, allowPrivilegeEscalation,
 * readOnlyRootFilesystem, …) on such pods, and Pod Security Standards exempt
 * them from the controls on those fields.
 */
export function isWindowsPod(spec: PodSpec | undefined): boolean {
  return field(spec, 'os.name') === 'windows';
}

/**
 * `hostUsers: false` runs the pod in its own user namespace, where UID 0 maps
 * to an unprivileged user of the node. Pod Security Standards relax some
 * controls for such pods from policy version 1.35 (KEP-127).
 */
export function usesUserNamespaceRelaxation(
  spec: PodSpec | undefined,
  version: ClusterVersion | undefined,
): boolean {
  return spec?.hostUsers === false && clusterAtLeast(version, 35);
}

/** Whether the cluster is at least 1.`minor`; an unknown version counts as the newest. */
export function clusterAtLeast(
  version: ClusterVersion | undefined,
  minor: number,
): boolean {
  return !version || version.major > 1 || version.minor >= minor;
}

/** Path of one annotation of the pod template, in the bracket form the PSS documentation uses. */
export function annotationPath(podSpecPath: string, key: string): string {
  return `${podMetadataPath(podSpecPath)}.annotations['${key}']`;
}

/** The strings of a list field; anything else reads as empty. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** A security context setting where it is written: at pod level, or in one container's own security context. */
export interface SecuritySetting<T> {
  value: T;
  path: string;
  /** The container that sets it; absent for the pod-level setting. */
  container?: string;
  /** The list of that container, e.g. `initContainers`. */
  field?: ContainerListField;
}

/**
 * Every place a security context setting is written, pod level first. Pod
 * Security Standards judge a setting where it is written: a bad pod-level
 * value fails even when every container overrides it.
 */
export function securitySettings<T>(
  spec: PodSpec | undefined,
  podSpecPath: string,
  key: string,
): SecuritySetting<T>[] {
  const pod = field<T>(spec?.securityContext, key);
  const podSetting =
    pod === undefined
      ? []
      : [{ value: pod, path: `${podSpecPath}.securityContext.${key}` }];
  return podSetting.concat(
    containerEntries(spec, podSpecPath).flatMap(
      ({ container, path, field: list }) => {
        const value = field<T>(container.securityContext, key);
        return value === undefined
          ? []
          : [
              {
                value,
                path: `${path}.securityContext.${key}`,
                container: container.name,
                field: list,
              },
            ];
      },
    ),
  );
}

/** "Container "app"" or "The pod", to start a finding message. */
export function settingOwner(setting: { container?: string }): string {
  return setting.container === undefined
    ? 'The pod'
    : `Container "${setting.container}"`;
}

/** The `container` of a finding about a setting; none for the pod-level one. */
export function containerOf(setting: { container?: string }): {
  container?: string;
} {
  return setting.container === undefined
    ? {}
    : { container: setting.container };
}

/**
 * A finding wherever a profile (`appArmorProfile` or `seccompProfile`) is set
 * with a type outside `allowed`, a missing type included; `name` is how the
 * message calls the profile, e.g. `AppArmor`. The fix sets the runtime's
 * default profile there.
 */
export function profileTypeFindings(
  workload: WorkloadUnderCheck,
  key: string,
  name: string,
  allowed: string[],
): FindingDraft[] {
  return securitySettings<{ type?: string }>(
    workload.template.spec,
    workload.podSpecPath,
    key,
  )
    .filter(setting => !allowed.includes(setting.value?.type ?? ''))
    .map(setting => ({
      ...containerOf(setting),
      message: `${settingOwner(setting)} sets ${name} profile type ${
        setting.value?.type ?? '(none)'
      }`,
      path: `${setting.path}.type`,
      evidence: String(setting.value?.type ?? 'not set'),
      fix: securityContextFix(workload, setting, {
        [key]: { type: 'RuntimeDefault' },
      }),
    }));
}

/**
 * A finding for each container of a Linux pod whose own security context
 * leaves the boolean `key` unset or not `safe`, fixed by setting it; Windows
 * pods cannot set these Linux-only fields and are skipped. `message` words
 * the finding.
 */
export function containerFlagFindings(
  workload: WorkloadUnderCheck,
  key: string,
  safe: boolean,
  message: (container: Container, value: boolean | undefined) => string,
): FindingDraft[] {
  const { spec } = workload.template;
  if (isWindowsPod(spec)) return [];
  return containerEntries(spec, workload.podSpecPath).flatMap(
    ({ container, path, field: list }) => {
      const value = field<boolean>(container.securityContext, key);
      if (value === safe) return [];
      return [
        {
          container: container.name,
          message: message(container, value),
          path: `${path}.securityContext.${key}`,
          evidence: value === undefined ? 'not set' : String(value),
          fix: containerFix(
            workload,
            { field: list, name: container.name },
            { securityContext: { [key]: safe } },
          ),
        },
      ];
    },
  );
}
