import type { WorkloadCheck } from '../types';
import { hostProcessPath, hostProcessSettings } from './hostProcessSettings';

export const windowsHostProcessInconsistent: WorkloadCheck = {
  scope: 'workload',
  id: 'windows-host-process-inconsistent',
  title: 'Windows HostProcess set inconsistently',
  severity: 'low',
  area: 'host-access',
  rationale:
    'Kubernetes runs a pod either wholly as HostProcess containers or not at all: the API server rejects a pod whose containers differ, or whose container value contradicts the pod value, so the workload cannot start.',
  remediation: {
    text: 'Set `windowsOptions.hostProcess` once at pod level and remove the container-level values, or give every container, init containers included, the same value.',
    yaml: `spec:
  hostNetwork: true
  securityContext:
    windowsOptions:
      hostProcess: true`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  equivalents: {},
  run({ workload }) {
    const { pod, containers } = hostProcessSettings(
      workload.template.spec,
      workload.podSpecPath,
    );
    const anyHostProcess = containers.some(c => c.effective);
    return containers.flatMap(({ entry, explicit, effective }) => {
      const contradictsPod =
        pod !== undefined && explicit !== undefined && explicit !== pod;
      if (!contradictsPod && !(anyHostProcess && !effective)) return [];
      return [
        {
          container: entry.container.name,
          message: contradictsPod
            ? `Container "${entry.container.name}" sets hostProcess: ${explicit} while the pod sets ${pod}`
            : `Container "${entry.container.name}" is not a HostProcess container while other containers of the pod are`,
          path: hostProcessPath(entry),
          evidence: explicit === undefined ? 'not set' : String(explicit),
        },
      ];
    });
  },
};
