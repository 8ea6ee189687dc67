import type { PodSpec } from '../../kubernetes';
import { containerEntries, type ContainerListField } from '../podSpec';

export interface HostPathVolume {
  name: string;
  /** The directory or file of the node, e.g. `/var/run/docker.sock`. */
  hostPath: string;
  /** Path of the volume, e.g. `spec.template.spec.volumes[0]`. */
  path: string;
}

export interface HostPathMount {
  volume: HostPathVolume;
  container: string;
  /** The list of that container, e.g. `initContainers`. */
  containerField: ContainerListField;
  /** Where it is mounted: the merge key of a mount in a patch. */
  mountPath: unknown;
  /** Path of the mount, e.g. `spec.template.spec.containers[0].volumeMounts[1]`. */
  path: string;
  writable: boolean;
}

interface Volume {
  name?: string;
  hostPath?: { path?: string };
}

interface VolumeMount {
  name?: string;
  mountPath?: unknown;
  readOnly?: boolean;
}

export function hostPathVolumes(
  spec: PodSpec | undefined,
  podSpecPath: string,
): HostPathVolume[] {
  const volumes = (
    Array.isArray(spec?.volumes) ? spec?.volumes : []
  ) as Volume[];
  return volumes.flatMap((volume, index) =>
    volume?.hostPath
      ? [
          {
            name: volume.name ?? '',
            hostPath: volume.hostPath.path ?? '',
            path: `${podSpecPath}.volumes[${index}]`,
          },
        ]
      : [],
  );
}

/** Every mount of a hostPath volume; a mount is writable unless it sets `readOnly: true`. */
export function hostPathMounts(
  spec: PodSpec | undefined,
  podSpecPath: string,
): HostPathMount[] {
  const volumes = hostPathVolumes(spec, podSpecPath);
  return containerEntries(spec, podSpecPath).flatMap(
    ({ container, path, field }) => {
      const mounts = (
        Array.isArray(container.volumeMounts) ? container.volumeMounts : []
      ) as VolumeMount[];
      return mounts.flatMap((mount, index) => {
        const volume = volumes.find(v => v.name === mount?.name);
        return volume
          ? [
              {
                volume,
                container: container.name,
                containerField: field,
                mountPath: mount.mountPath,
                path: `${path}.volumeMounts[${index}]`,
                writable: mount.readOnly !== true,
              },
            ]
          : [];
      });
    },
  );
}
