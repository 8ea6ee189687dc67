import type { NamespaceCheck } from '../types';
import { levelLabel, namespaceLabel } from './namespacePodSecurity';

export const psaEnforceMissing: NamespaceCheck = {
  scope: 'namespace',
  id: 'psa-enforce-missing',
  title: 'Namespace enforces no Pod Security level',
  severity: 'medium',
  area: 'pod-security-admission',
  rationale:
    'Without the `pod-security.kubernetes.io/enforce` label, Pod Security Admission applies the cluster default, ' +
    'which is `privileged` (no restriction) unless the admission configuration says otherwise: anyone who can ' +
    'create pods here can run privileged, host-namespace or hostPath pods. System namespaces such as kube-system ' +
    'are not exempt by default and are flagged too. Exclude this check where another admission controller ' +
    '(Kyverno, Gatekeeper, …) enforces pod security.',
  remediation: {
    text: 'Label the namespace with the strictest level its workloads meet, pinned to a version.',
    yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: my-app
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.30`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
  equivalents: { kubescape: 'C-0192', cis: '5.2.1' },
  run({ namespace }) {
    if (namespaceLabel(namespace, levelLabel('enforce')) !== undefined)
      return [];
    return [
      {
        message: `Namespace "${namespace.metadata?.name}" has no ${levelLabel(
          'enforce',
        )} label: pods are admitted at the cluster default level, privileged unless configured otherwise`,
        path: 'metadata.labels',
        evidence: 'unset',
      },
    ];
  },
};
