import type { WorkloadCheck } from '../types';

export const hostIpc: WorkloadCheck = {
  scope: 'workload',
  id: 'host-ipc',
  title: 'Host IPC namespace shared',
  severity: 'high',
  area: 'host-access',
  rationale:
    "A pod in the node's IPC namespace can read and write the shared memory and message queues of every process on the node.",
  remediation: {
    text: 'Remove `hostIPC: true`. Containers of one pod already share an IPC namespace.',
    yaml: `spec:
  hostIPC: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostIPCSet',
    kubescape: 'C-0276',
    pss: { control: 'Host Namespaces', level: 'baseline' },
    cis: '5.2.4',
  },
  run({ workload }) {
    if (workload.template.spec?.hostIPC !== true) return [];
    return [
      {
        message: "The pod shares the node's IPC namespace",
        path: `${workload.podSpecPath}.hostIPC`,
        evidence: 'true',
      },
    ];
  },
};
