import type { PodSpec } from '../../kubernetes';
import { containerEntries, field, type ContainerEntry } from '../podSpec';

const HOST_PROCESS = 'windowsOptions.hostProcess';

export interface ContainerHostProcess {
  entry: ContainerEntry;
  /** The container's own value, if it sets one. */
  explicit?: boolean;
  /** Whether it runs as a HostProcess container: its own value, else the pod's. */
  effective: boolean;
}

/** The Windows HostProcess settings of a pod (KEP-1981), as the API server validates them. */
export function hostProcessSettings(
  spec: PodSpec | undefined,
  podSpecPath: string,
) {
  const pod = field<boolean>(spec?.securityContext, HOST_PROCESS);
  const containers: ContainerHostProcess[] = containerEntries(
    spec,
    podSpecPath,
  ).map(entry => {
    const explicit = field<boolean>(
      entry.container.securityContext,
      HOST_PROCESS,
    );
    return { entry, explicit, effective: (explicit ?? pod) === true };
  });
  return {
    pod,
    podPath: `${podSpecPath}.securityContext.${HOST_PROCESS}`,
    containers,
  };
}

export function hostProcessPath(entry: ContainerEntry): string {
  return `${entry.path}.securityContext.${HOST_PROCESS}`;
}
