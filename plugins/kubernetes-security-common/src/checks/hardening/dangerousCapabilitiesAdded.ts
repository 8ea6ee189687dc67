import { containerEntries } from '../podSpec';
import type { WorkloadCheck } from '../types';
import { capabilitiesOf, normalizeCapability } from './capabilities';

/**
 * Kubescape's default insecure capabilities (control C-0046), which include
 * Polaris' dangerous ones (ALL, SYS_ADMIN, NET_ADMIN).
 */
const DANGEROUS = [
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_BOOT',
  'SETPCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'PERFMON',
  'BPF',
];

export const dangerousCapabilitiesAdded: WorkloadCheck = {
  scope: 'workload',
  id: 'dangerous-capabilities-added',
  title: 'Dangerous capabilities added',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, BPF or NET_ADMIN give a container kernel powers that lead out of it: mounting file systems, loading kernel modules, tracing processes, reconfiguring the node network.',
  remediation: {
    text: 'Remove the dangerous capabilities from `capabilities.add`; drop ALL and add back only what the process needs, such as NET_BIND_SERVICE.',
    yaml: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
  },
  docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container',
  equivalents: {
    polaris: 'dangerousCapabilities',
    kubescape: 'C-0046',
  },
  run({ workload }) {
    return containerEntries(
      workload.template.spec,
      workload.podSpecPath,
    ).flatMap(({ container, path }) => {
      const dangerous = capabilitiesOf(container).add.filter(name =>
        DANGEROUS.includes(normalizeCapability(name)),
      );
      if (dangerous.length === 0) return [];
      return [
        {
          container: container.name,
          message: `Container "${container.name}" adds the dangerous ${
            dangerous.length > 1 ? 'capabilities' : 'capability'
          } ${dangerous.join(', ')}`,
          path: `${path}.securityContext.capabilities.add`,
          evidence: JSON.stringify(dangerous),
        },
      ];
    });
  },
};
