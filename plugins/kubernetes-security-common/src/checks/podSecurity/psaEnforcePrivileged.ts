import type { NamespaceCheck } from '../types';
import {
  labelPath,
  levelLabel,
  namespaceLabel,
  namespaceLabelsFix,
} from './namespacePodSecurity';
import { psaEnforcePrivilegedMetadata } from './metadata';

export const psaEnforcePrivileged: NamespaceCheck = {
  scope: 'namespace',
  ...psaEnforcePrivilegedMetadata,
  run({ namespace }) {
    const label = levelLabel('enforce');
    if (namespaceLabel(namespace, label) !== 'privileged') return [];
    return [
      {
        message: `Namespace "${namespace.metadata?.name}" enforces the privileged Pod Security level, which restricts nothing`,
        path: labelPath(label),
        evidence: 'privileged',
        fix: namespaceLabelsFix({ [label]: 'baseline' }),
      },
    ];
  },
};
