import {
  clusterAtLeast,
  containerOf,
  securitySettings,
  settingOwner,
} from '../securityContext';
import { securityContextFix } from '../fix';
import type { ClusterVersion, WorkloadCheck } from '../types';
import { seLinuxCustomOptionsMetadata } from './metadata';

interface SELinuxOptions {
  type?: string;
  user?: string;
  role?: string;
}

/** The SELinux types Pod Security Standards allow; `container_engine_t` from 1.31. */
function allowedTypes(version: ClusterVersion | undefined): string[] {
  const types = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
  return clusterAtLeast(version, 31) ? [...types, 'container_engine_t'] : types;
}

/** What is wrong with one seLinuxOptions value, if anything. */
function violations(options: SELinuxOptions | null, types: string[]): string[] {
  return [
    ...(types.includes(options?.type ?? '') ? [] : [`type ${options?.type}`]),
    ...(options?.user ? [`user ${options.user}`] : []),
    ...(options?.role ? [`role ${options.role}`] : []),
  ];
}

export const seLinuxCustomOptions: WorkloadCheck = {
  scope: 'workload',
  ...seLinuxCustomOptionsMetadata,
  run({ workload, clusterVersion }) {
    const types = allowedTypes(clusterVersion);
    return securitySettings<SELinuxOptions | null>(
      workload.template.spec,
      workload.podSpecPath,
      'seLinuxOptions',
    ).flatMap(setting => {
      const wrong = violations(setting.value, types);
      if (wrong.length === 0) return [];
      return [
        {
          ...containerOf(setting),
          message: `${settingOwner(setting)} sets the SELinux ${wrong.join(
            ', ',
          )}`,
          path: setting.path,
          evidence: wrong.join(', '),
          // `null` removes what Pod Security Standards forbid; an unset type is the runtime's.
          fix: securityContextFix(workload, setting, {
            seLinuxOptions: {
              ...(types.includes(setting.value?.type ?? '')
                ? {}
                : { type: null }),
              ...(setting.value?.user ? { user: null } : {}),
              ...(setting.value?.role ? { role: null } : {}),
            },
          }),
        },
      ];
    });
  },
};
