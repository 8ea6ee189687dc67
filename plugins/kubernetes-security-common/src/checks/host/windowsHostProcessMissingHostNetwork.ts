import type { WorkloadCheck } from '../types';
import { hostProcessSettings } from './hostProcessSettings';

export const windowsHostProcessMissingHostNetwork: WorkloadCheck = {
  scope: 'workload',
  id: 'windows-host-process-missing-host-network',
  title: 'Windows HostProcess pod without host network',
  severity: 'low',
  area: 'host-access',
  rationale:
    "HostProcess containers always use the node's network, and the API server rejects a pod with HostProcess containers unless it sets `hostNetwork: true`: the workload cannot start.",
  remediation: {
    text: 'Set `hostNetwork: true` on pods that run HostProcess containers, or stop running them as HostProcess containers.',
    yaml: `spec:
  hostNetwork: true`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  equivalents: {},
  run({ workload }) {
    const { spec } = workload.template;
    const { containers } = hostProcessSettings(spec, workload.podSpecPath);
    if (!containers.some(c => c.effective) || spec?.hostNetwork === true)
      return [];
    return [
      {
        message:
          'The pod runs HostProcess containers but does not set hostNetwork: true',
        path: `${workload.podSpecPath}.hostNetwork`,
        evidence:
          spec?.hostNetwork === undefined
            ? 'not set'
            : String(spec.hostNetwork),
      },
    ];
  },
};
