import type { NamespaceCheck } from '../types';
import { labelPath, levelLabel, namespaceLabel } from './namespacePodSecurity';

export const psaEnforcePrivileged: NamespaceCheck = {
  scope: 'namespace',
  id: 'psa-enforce-privileged',
  title: 'Namespace enforces the privileged Pod Security level',
  severity: 'medium',
  area: 'pod-security-admission',
  rationale:
    'The `privileged` level restricts nothing: pods here may run privileged, share host namespaces and mount the ' +
    "node's filesystem. It is meant for trusted system workloads (kube-system usually needs it, and is flagged " +
    'like any other namespace), not for applications.',
  remediation: {
    text: 'Enforce `baseline` or `restricted`; move workloads that need host access to a dedicated namespace.',
    yaml: `metadata:
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.30`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#privileged',
  equivalents: {},
  run({ namespace }) {
    const label = levelLabel('enforce');
    if (namespaceLabel(namespace, label) !== 'privileged') return [];
    return [
      {
        message: `Namespace "${namespace.metadata?.name}" enforces the privileged Pod Security level, which restricts nothing`,
        path: labelPath(label),
        evidence: 'privileged',
      },
    ];
  },
};
