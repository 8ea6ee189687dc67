import { containerEntries, field } from '../podSpec';
import { usesUserNamespaceRelaxation } from '../securityContext';
import type { WorkloadCheck } from '../types';

export const procMountUnmasked: WorkloadCheck = {
  scope: 'workload',
  id: 'proc-mount-unmasked',
  title: '/proc mounted unmasked',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    "The runtime masks and makes read-only the parts of /proc that expose or control the node's kernel; `procMount: Unmasked` removes those masks.",
  remediation: {
    text: 'Remove `procMount` or set it to `Default`. Unmasked /proc is meant only for nested containers in a user namespace (`hostUsers: false`).',
    yaml: `securityContext:
  procMount: Default`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'procMount',
    pss: { control: '/proc Mount Type', level: 'baseline' },
  },
  run({ workload, clusterVersion }) {
    const { spec } = workload.template;
    // Baseline allows any procMount in a user namespace from 1.35; Restricted never does.
    if (usesUserNamespaceRelaxation(spec, clusterVersion)) return [];
    return containerEntries(spec, workload.podSpecPath).flatMap(
      ({ container, path }) => {
        const value = field<string>(container.securityContext, 'procMount');
        if (value === undefined || value === 'Default') return [];
        return [
          {
            container: container.name,
            message: `Container "${container.name}" mounts /proc ${value}`,
            path: `${path}.securityContext.procMount`,
            evidence: String(value),
          },
        ];
      },
    );
  },
};
