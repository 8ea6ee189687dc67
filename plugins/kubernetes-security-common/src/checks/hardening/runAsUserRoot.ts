import {
  containerOf,
  securitySettings,
  settingOwner,
  usesUserNamespaceRelaxation,
} from '../securityContext';
import { securityContextFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { runAsUserRootMetadata } from './metadata';

/** A UID well above the system accounts images define, as the remediation suggests. */
const NON_ROOT_UID = 10001;

export const runAsUserRoot: WorkloadCheck = {
  scope: 'workload',
  ...runAsUserRootMetadata,
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
        fix: securityContextFix(workload, setting, { runAsUser: NON_ROOT_UID }),
      }));
  },
};
