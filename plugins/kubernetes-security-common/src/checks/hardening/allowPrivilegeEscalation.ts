import { containerFlagFindings } from '../securityContext';
import type { WorkloadCheck } from '../types';

export const allowPrivilegeEscalation: WorkloadCheck = {
  scope: 'workload',
  id: 'allow-privilege-escalation',
  title: 'Privilege escalation allowed',
  severity: 'medium',
  area: 'workload-hardening',
  rationale:
    'Unless `allowPrivilegeEscalation` is false, a process in the container can gain privileges through set-user-ID binaries or file capabilities; Linux containers allow it by default.',
  remediation: {
    text: 'Set `allowPrivilegeEscalation: false` in the security context of every container, init and ephemeral containers included. The pod-level security context has no such field.',
    yaml: `securityContext:
  allowPrivilegeEscalation: false`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    polaris: 'privilegeEscalationAllowed',
    kubescape: 'C-0016',
    pss: { control: 'Privilege Escalation', level: 'restricted' },
    cis: '5.2.6',
  },
  run({ workload }) {
    // Windows pods cannot set the field, and Pod Security Standards exempt them.
    return containerFlagFindings(
      workload,
      'allowPrivilegeEscalation',
      false,
      (container, value) =>
        value === undefined
          ? `Container "${container.name}" does not set allowPrivilegeEscalation: false, so escalation is allowed`
          : `Container "${
              container.name
            }" sets allowPrivilegeEscalation: ${String(value)}`,
    );
  },
};
