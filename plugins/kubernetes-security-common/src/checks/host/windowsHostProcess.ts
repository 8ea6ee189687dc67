import type { FindingDraft, WorkloadCheck } from '../types';
import { hostProcessPath, hostProcessSettings } from './hostProcessSettings';

export const windowsHostProcess: WorkloadCheck = {
  scope: 'workload',
  id: 'windows-host-process',
  title: 'Windows HostProcess container',
  severity: 'critical',
  area: 'host-access',
  rationale:
    "A HostProcess container runs directly on the Windows node, outside any container isolation, with the node's network and file system and the rights of a node account such as SYSTEM.",
  remediation: {
    text: 'Remove `windowsOptions.hostProcess: true` from the pod and its containers. Keep HostProcess pods to node agents in a namespace of their own with a privileged Pod Security level.',
    yaml: `securityContext:
  windowsOptions:
    hostProcess: false`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  equivalents: {
    polaris: 'hostProcess',
    pss: { control: 'HostProcess', level: 'baseline' },
    cis: '5.2.11',
  },
  run({ workload, clusterVersion }) {
    // Before 1.26 HostProcess was beta: older kubelets may lack the fixes of the GA release.
    const stageNote =
      clusterVersion?.major === 1 && clusterVersion.minor < 26
        ? ` (HostProcess is only ${
            clusterVersion.minor >= 23 ? 'beta' : 'alpha'
          } in 1.${clusterVersion.minor})`
        : '';
    const { pod, podPath, containers } = hostProcessSettings(
      workload.template.spec,
      workload.podSpecPath,
    );
    // Like Pod Security Standards, one finding for the pod-level setting and one per container setting it itself.
    const podFinding: FindingDraft[] =
      pod === true
        ? [
            {
              message: `The pod runs its containers as Windows HostProcess containers${stageNote}`,
              path: podPath,
              evidence: 'true',
            },
          ]
        : [];
    return podFinding.concat(
      containers
        .filter(({ explicit }) => explicit === true)
        .map(({ entry }) => ({
          container: entry.container.name,
          message: `Container "${entry.container.name}" runs as a Windows HostProcess container${stageNote}`,
          path: hostProcessPath(entry),
          evidence: 'true',
        })),
    );
  },
};
