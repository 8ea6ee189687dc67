import type { NamespaceCheck } from '../types';
import {
  levelLabel,
  namespaceLabel,
  namespaceLabelsFix,
  pinnedVersion,
  versionLabel,
} from './namespacePodSecurity';
import { psaEnforceMissingMetadata } from './metadata';

export const psaEnforceMissing: NamespaceCheck = {
  scope: 'namespace',
  ...psaEnforceMissingMetadata,
  run({ namespace, clusterVersion }) {
    if (namespaceLabel(namespace, levelLabel('enforce')) !== undefined)
      return [];
    return [
      {
        message: `Namespace "${namespace.metadata?.name}" has no ${levelLabel(
          'enforce',
        )} label: pods are admitted at the cluster default level, privileged unless configured otherwise`,
        path: 'metadata.labels',
        evidence: 'unset',
        fix: namespaceLabelsFix(
          {
            [levelLabel('enforce')]: 'baseline',
            [versionLabel('enforce')]: pinnedVersion(clusterVersion),
          },
          'Baseline admits what most workloads need; move to restricted once its warnings are gone.',
        ),
      },
    ];
  },
};
