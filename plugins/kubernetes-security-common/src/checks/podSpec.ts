import type { Container, PodSpec } from '../kubernetes';

export type ContainerListField =
  | 'initContainers'
  | 'containers'
  | 'ephemeralContainers';

export interface ContainerEntry {
  container: Container;
  field: ContainerListField;
  /** Path of the container, e.g. `spec.template.spec.containers[1]`. */
  path: string;
}

const CONTAINER_FIELDS: ContainerListField[] = [
  'initContainers',
  'containers',
  'ephemeralContainers',
];

/** Every container of a pod spec, init and ephemeral ones included. */
export function containerEntries(
  spec: PodSpec | undefined,
  podSpecPath: string,
): ContainerEntry[] {
  return CONTAINER_FIELDS.flatMap(listField =>
    ((spec?.[listField] as Container[] | undefined) ?? []).map(
      (container, index) => ({
        container,
        field: listField,
        path: `${podSpecPath}.${listField}[${index}]`,
      }),
    ),
  );
}

/** Path of the pod template's metadata: `spec.template.metadata`, or `metadata` for a bare Pod. */
export function podMetadataPath(podSpecPath: string): string {
  return podSpecPath.replace(/spec$/, 'metadata');
}

/** Reads a nested field of a plain object by a dotted path. */
export function field<T = unknown>(
  object: unknown,
  path: string,
): T | undefined {
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as T | undefined;
}

/**
 * A security context setting as the kubelet applies it: the container's
 * value wins over the pod's. Returns where the effective value came from.
 */
export function effectiveSecurityContext<T>(
  spec: PodSpec | undefined,
  entry: ContainerEntry,
  podSpecPath: string,
  key: string,
): {
  value: T | undefined;
  path: string;
  source: 'container' | 'pod' | 'default';
} {
  const containerValue = field<T>(entry.container.securityContext, key);
  if (containerValue !== undefined) {
    return {
      value: containerValue,
      path: `${entry.path}.securityContext.${key}`,
      source: 'container',
    };
  }
  const podValue = field<T>(spec?.securityContext, key);
  if (podValue !== undefined) {
    return {
      value: podValue,
      path: `${podSpecPath}.securityContext.${key}`,
      source: 'pod',
    };
  }
  return {
    value: undefined,
    path: `${entry.path}.securityContext.${key}`,
    source: 'default',
  };
}
