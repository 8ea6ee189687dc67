import {
  containerOf,
  securitySettings,
  settingOwner,
  usesUserNamespaceRelaxation,
} from '../securityContext';
import type { WorkloadCheck } from '../types';

export const runAsUserRoot: WorkloadCheck = {
  scope: 'workload',
  id: 'run-as-user-root',
  title: 'Container runs as user ID 0',
  severity: 'high',
  area: 'workload-hardening',
  rationale:
    'An explicit `runAsUser: 0` runs the container as root whatever the image says, so any escape from the container lands as root on the node.',
  remediation: {
    text: 'Set `runAsUser` to a non-zero user ID, or remove it and build the image with a non-root USER.',
    yaml: `securityContext:
  runAsUser: 10001
  runAsNonRoot: true`,
  },
  docs: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  equivalents: {
    pss: { control: 'Running as Non-root user', level: 'restricted' },
    cis: '5.2.7',
  },
  run({ workload, clusterVersion }) {
    const { spec } = workload.template;
    if (usesUserNamespaceRelaxation(spec, clusterVersion)) return [];
    // A pod-level 0 fails even when every container overrides it, as in Pod Security Standards.
    return securitySettings<number>(spec, workload.podSpecPath, 'runAsUser')
      .filter(setting => setting.value === 0)
      .map(setting => ({
        ...containerOf(setting),
        message: `${settingOwner(setting)} sets runAsUser: 0 (root)`,
        path: setting.path,
        evidence: '0',
      }));
  },
};
