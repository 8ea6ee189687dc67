import type { WorkloadCheck } from '../types';
import { containerEntries } from '../podSpec';

export const privilegedContainer: WorkloadCheck = {
  scope: 'workload',
  id: 'privileged-container',
  title: 'Privileged container',
  severity: 'critical',
  area: 'host-access',
  rationale:
    'A privileged container has every capability and access to all host devices: escaping to the node is trivial.',
  remediation: {
    text: 'Remove `privileged: true`. Grant only the capabilities the process needs.',
    yaml: `securityContext:
  privileged: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  equivalents: {
    polaris: 'runAsPrivileged',
    kubescape: 'C-0057',
    pss: { control: 'Privileged Containers', level: 'baseline' },
    cis: '5.2.2',
  },
  run({ workload }) {
    return containerEntries(workload.template.spec, workload.podSpecPath)
      .filter(
        ({ container }) =>
          (container.securityContext as any)?.privileged === true,
      )
      .map(({ container, path }) => ({
        container: container.name,
        message: `Container "${container.name}" runs privileged`,
        path: `${path}.securityContext.privileged`,
        evidence: 'true',
      }));
  },
};
