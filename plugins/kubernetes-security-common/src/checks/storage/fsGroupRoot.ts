import { podSpecFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { VOLUME_GROUP } from './volumeGroup';
import { fsGroupRootMetadata } from './metadata';

export const fsGroupRoot: WorkloadCheck = {
  scope: 'workload',
  ...fsGroupRootMetadata,
  run({ workload }) {
    const securityContext = (workload.template.spec?.securityContext ?? {}) as {
      fsGroup?: number;
    };
    if (securityContext.fsGroup !== 0) return [];
    return [
      {
        message:
          'The pod sets fsGroup 0: its volumes and processes get the root group',
        path: `${workload.podSpecPath}.securityContext.fsGroup`,
        evidence: '0',
        fix: podSpecFix(workload, {
          securityContext: { fsGroup: VOLUME_GROUP },
        }),
      },
    ];
  },
};
