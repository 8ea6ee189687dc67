import { containerEntries } from '../podSpec';
import type { WorkloadCheck } from '../types';
import {
  capabilitiesFix,
  capabilitiesOf,
  normalizeCapability,
} from './capabilities';
import { dangerousCapabilitiesAddedMetadata } from './metadata';

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
  ...dangerousCapabilitiesAddedMetadata,
  run({ workload }) {
    return containerEntries(
      workload.template.spec,
      workload.podSpecPath,
    ).flatMap(entry => {
      const { container, path } = entry;
      const isDangerous = (name: string) =>
        DANGEROUS.includes(normalizeCapability(name));
      const dangerous = capabilitiesOf(container).add.filter(isDangerous);
      if (dangerous.length === 0) return [];
      return [
        {
          container: container.name,
          message: `Container "${container.name}" adds the dangerous ${
            dangerous.length > 1 ? 'capabilities' : 'capability'
          } ${dangerous.join(', ')}`,
          path: `${path}.securityContext.capabilities.add`,
          evidence: JSON.stringify(dangerous),
          fix: capabilitiesFix(workload, entry, name => !isDangerous(name)),
        },
      ];
    });
  },
};
