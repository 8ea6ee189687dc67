import type { NamespaceCheck } from '../types';
import {
  labelPath,
  namespaceLabel,
  namespaceLabelsFix,
  namespacePodSecurity,
  pinnedVersion,
  versionLabel,
} from './namespacePodSecurity';
import { podSecurityMinor } from './podSecurityStandards';
import { psaVersionUnpinnedMetadata } from './metadata';

export const psaVersionUnpinned: NamespaceCheck = {
  scope: 'namespace',
  ...psaVersionUnpinnedMetadata,
  run({ namespace, clusterVersion }) {
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
        fix: namespaceLabelsFix({ [label]: pinnedVersion(clusterVersion) }),
      },
    ];
  },
};
