import type { NamespaceCheck } from '../types';
import {
  labelPath,
  namespaceLabel,
  namespacePodSecurity,
  versionLabel,
} from './namespacePodSecurity';
import { podSecurityMinor } from './podSecurityStandards';

export const psaVersionUnpinned: NamespaceCheck = {
  scope: 'namespace',
  id: 'psa-version-unpinned',
  title: 'Enforced Pod Security level not pinned to a version',
  severity: 'info',
  area: 'pod-security-admission',
  rationale:
    'Without `pod-security.kubernetes.io/enforce-version` (or with `latest`, or an invalid value), the enforced level ' +
    'follows the cluster version: an upgrade can add or tighten controls and start rejecting pods that were ' +
    'admitted the day before. Pinning makes tightening a reviewed change.',
  remediation: {
    text: 'Pin the enforced level to the Kubernetes minor version you validated, and raise it deliberately.',
    yaml: `metadata:
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.30`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
  equivalents: {},
  run({ namespace }) {
    // The privileged level restricts nothing at any version.
    if (namespacePodSecurity(namespace, 'enforce').level === 'privileged')
      return [];
    const label = versionLabel('enforce');
    const version = namespaceLabel(namespace, label);
    if (podSecurityMinor(version) !== 'latest') return [];
    return [
      {
        message:
          version === undefined
            ? `Namespace "${namespace.metadata?.name}" enforces its Pod Security level without ${label}: it follows the cluster version`
            : `Namespace "${namespace.metadata?.name}" enforces its Pod Security level at version "${version}", which follows the cluster version`,
        path: version === undefined ? 'metadata.labels' : labelPath(label),
        evidence: version ?? 'unset',
      },
    ];
  },
};
