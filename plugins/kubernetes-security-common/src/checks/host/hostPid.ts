import type { WorkloadCheck } from '../types';

export const hostPid: WorkloadCheck = {
  scope: 'workload',
  id: 'host-pid',
  title: 'Host PID namespace shared',
  severity: 'critical',
  area: 'host-access',
  rationale:
    "A pod in the node's PID namespace sees every process of the node, can read their environment and, as root, signal or ptrace them: a short path to the node.",
  remediation: {
    text: 'Remove `hostPID: true`. To share processes between containers of one pod, use `shareProcessNamespace` instead.',
    yaml: `spec:
  hostPID: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostPIDSet',
    kubescape: 'C-0275',
    pss: { control: 'Host Namespaces', level: 'baseline' },
    cis: '5.2.3',
  },
  run({ workload }) {
    if (workload.template.spec?.hostPID !== true) return [];
    return [
      {
        message: "The pod shares the node's process ID namespace",
        path: `${workload.podSpecPath}.hostPID`,
        evidence: 'true',
      },
    ];
  },
};
