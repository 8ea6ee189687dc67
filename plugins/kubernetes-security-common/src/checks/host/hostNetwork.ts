import type { WorkloadCheck } from '../types';

export const hostNetwork: WorkloadCheck = {
  scope: 'workload',
  id: 'host-network',
  title: 'Host network namespace shared',
  severity: 'high',
  area: 'host-access',
  rationale:
    "A pod on the host network sees every interface of the node, can reach services bound to the node's localhost and can sniff other pods' traffic; network policies do not apply to it.",
  remediation: {
    text: 'Remove `hostNetwork: true` and expose the workload through a Service instead.',
    yaml: `spec:
  hostNetwork: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'hostNetworkSet',
    kubescape: 'C-0041',
    pss: { control: 'Host Namespaces', level: 'baseline' },
    cis: '5.2.5',
  },
  run({ workload }) {
    if (workload.template.spec?.hostNetwork !== true) return [];
    return [
      {
        message: "The pod shares the node's network namespace",
        path: `${workload.podSpecPath}.hostNetwork`,
        evidence: 'true',
      },
    ];
  },
};
